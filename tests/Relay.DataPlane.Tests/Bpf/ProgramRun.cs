using Relay.DataPlane.Bpf;

namespace Relay.DataPlane.Tests.Bpf;

/// <summary>Runs a loaded program once over a frame with BPF_PROG_TEST_RUN; returns its verdict and the frame it left.</summary>
internal static unsafe class ProgramRun
{
    public const uint XdpDrop = 1, XdpPass = 2, XdpTx = 3, XdpRedirect = 4;
    public const uint TcOk = 0, TcShot = 2, TcRedirect = 7;

    public static (uint Verdict, byte[] Output) Run(FastPath fastPath, byte[] frame)
    {
        var output = new byte[frame.Length + 256];
        fixed (byte* input = frame)
        fixed (byte* result = output)
        {
            var options = new LibBpf.TestRunOptions
            {
                Size = (nuint)sizeof(LibBpf.TestRunOptions),
                DataIn = input,
                DataSizeIn = (uint)frame.Length,
                DataOut = result,
                DataSizeOut = (uint)output.Length,
                Repeat = 1,
            };
            var error = LibBpf.TestRun(fastPath.ProgramFd(fastPath.MainProgram), &options);
            if (error != 0)
            {
                throw new InvalidOperationException($"BPF_PROG_TEST_RUN failed: {LibBpf.Describe(error)}");
            }
            return (options.ReturnValue, output.AsSpan(0, (int)options.DataSizeOut).ToArray());
        }
    }

    /// <summary>The program's verdicts for "forward", "pass" and "drop" in this mode.</summary>
    public static (uint Forward, uint Pass, uint Drop) Verdicts(FastPathMode mode)
        => mode == FastPathMode.Tc ? (TcRedirect, TcOk, TcShot) : (XdpTx, XdpPass, XdpDrop);
}
