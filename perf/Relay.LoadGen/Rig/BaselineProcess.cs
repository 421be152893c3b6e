using System.Globalization;
using Relay.Topology;

namespace Relay.LoadGen.Rig;

/// <summary>
/// perf/baseline/udp_relay (the C reference relay) in the relay namespace on port 1702, relaying
/// between side A and side B, pinned to the relay CPU. Built from source with clang when the
/// binary is missing or older than the source, so the harness never runs a stale baseline.
/// </summary>
internal sealed class BaselineProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly NamespaceProcess _process;

    private BaselineProcess(NamespaceProcess process) => _process = process;

    public int ProcessId => _process.ProcessId;

    public static BaselineProcess Start(BenchRig rig, int port)
    {
        var binary = EnsureBuilt(rig.Options.BaselinePath);
        var portText = port.ToString(CultureInfo.InvariantCulture);
        List<string> command = [binary, $"{BenchRig.RelayAddress}:{BenchRig.BaselinePort}", $"{BenchRig.SideAAddress}:{portText}", $"{BenchRig.SideBAddress}:{portText}"];
        if (rig.Options.RelayCpu is { } cpu)
        {
            command.Add(cpu.ToString(CultureInfo.InvariantCulture));
        }
        var process = rig.Relay.Start([.. command]);
        try
        {
            process.WaitForLine(l => l.StartsWith("udp_relay: listening", StringComparison.Ordinal), StartTimeout);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new BaselineProcess(process);
    }

    /// <summary>SIGTERM; returns its "stopped:" counters line.</summary>
    public string Stop()
    {
        _process.SignalAndWait(15, StartTimeout);
        return _process.WaitForLine(l => l.StartsWith("udp_relay: stopped:", StringComparison.Ordinal), StartTimeout);
    }

    public void Dispose() => _process.Dispose();

    /// <summary>Compiles perf/baseline/udp_relay.c into <paramref name="binary"/> when needed (the Makefile does the same).</summary>
    public static string EnsureBuilt(string binary)
    {
        var source = Path.Combine(LoadGenOptions.RepositoryRoot, "perf", "baseline", "udp_relay.c");
        if (File.Exists(binary) && (!File.Exists(source) || File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(source)))
        {
            return binary;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        var result = Shell.Run("clang", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", binary, source], TimeSpan.FromSeconds(60));
        return result.Succeeded ? binary : throw new InvalidOperationException($"cannot build the C baseline: {result}");
    }
}
