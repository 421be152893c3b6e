using Relay.DataPlane.Bpf;

namespace Relay.DataPlane.Tests.Bpf;

/// <summary>Runs a loaded program once over a frame with BPF_PROG_TEST_RUN; returns its verdict and the frame it left.</summary>
internal static unsafe class ProgramRun
{
    public const uint XdpDrop = 1, XdpPass = 2, XdpTx = 3, XdpRedirect = 4;
    public const uint TcOk = 0, TcShot = 2, TcRedirect = 7;

    /// <summary>struct __sk_buff (include/uapi/linux/bpf.h): its size and the offsets of what a test run may set.</summary>
    private const int SkBuffSize = 192, GsoSegsOffset = 164, GsoSizeOffset = 176;

    /// <param name="gsoSegments">tc only: present the frame as a GRO train of this many segments (skb_shinfo gso_segs/gso_size).</param>
    public static (uint Verdict, byte[] Output) Run(FastPath fastPath, byte[] frame, int gsoSegments = 0)
    {
        var output = new byte[frame.Length + 256];
        var context = new byte[SkBuffSize];
        if (gsoSegments > 0)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(GsoSegsOffset), (uint)gsoSegments);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(GsoSizeOffset), (uint)(frame.Length / gsoSegments));
        }
        fixed (byte* input = frame)
        fixed (byte* result = output)
        fixed (byte* contextIn = context)
        {
            var options = new LibBpf.TestRunOptions
            {
                Size = (nuint)sizeof(LibBpf.TestRunOptions),
                DataIn = input,
                DataSizeIn = (uint)frame.Length,
                DataOut = result,
                DataSizeOut = (uint)output.Length,
                Repeat = 1,
                ContextIn = gsoSegments > 0 ? contextIn : null,
                ContextSizeIn = gsoSegments > 0 ? (uint)context.Length : 0,
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
