using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Relay.Topology;

namespace Relay.LoadGen.Measure;

/// <summary>
/// The kernel's own accounting of relayd's fast path program: run count and nanoseconds spent in it
/// (bpftool prog show: run_cnt, run_time_ns). The kernel keeps them only while someone holds a
/// BPF_ENABLE_STATS descriptor, so this holds one for its lifetime (dispose to stop the few
/// nanoseconds per run it costs). What it isolates is the relay's decision and rewrite, apart from
/// what the driver and the stack cost around it.
/// </summary>
internal sealed partial class BpfProgramStats : IDisposable
{
    private const int BpfStatsRunTime = 0;
    private readonly int _statsFd;
    private readonly int _programId;

    private BpfProgramStats(int statsFd, int programId)
    {
        _statsFd = statsFd;
        _programId = programId;
    }

    /// <summary>For relayd's program on <paramref name="device"/> in <paramref name="ns"/> (null when the mode is off).</summary>
    public static BpfProgramStats? Start(NetworkNamespace ns, string device, string mode)
    {
        if (mode == "off")
        {
            return null;
        }
        var id = mode == "tc" ? TcProgramId(ns, device) : XdpProgramId(ns, device);
        var fd = EnableStats(BpfStatsRunTime);
        if (fd < 0)
        {
            throw new InvalidOperationException($"BPF_ENABLE_STATS: error {-fd} (needs CAP_SYS_ADMIN)");
        }
        return new BpfProgramStats(fd, id);
    }

    /// <summary>(run_time_ns, run_cnt) so far.</summary>
    public (long RunTimeNs, long RunCount) Read()
    {
        var result = Shell.Run("bpftool", ["--json", "prog", "show", "id", _programId.ToString(CultureInfo.InvariantCulture)]);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"reading program {_programId}'s statistics: {result}");
        }
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        long Field(string name) => root.TryGetProperty(name, out var value) ? value.GetInt64() : 0;
        return (Field("run_time_ns"), Field("run_cnt"));
    }

    public void Dispose() => Close(_statsFd);

    private static int XdpProgramId(NetworkNamespace ns, string device)
    {
        using var json = JsonDocument.Parse(ns.MustExec("ip", "-j", "link", "show", "dev", device).StandardOutput);
        return json.RootElement[0].TryGetProperty("xdp", out var xdp) && xdp.TryGetProperty("prog", out var prog)
            ? prog.GetProperty("id").GetInt32()
            : throw new InvalidOperationException($"in {ns}: no XDP program on {device}");
    }

    private static int TcProgramId(NetworkNamespace ns, string device)
    {
        using var json = JsonDocument.Parse(ns.MustExec("tc", "-j", "filter", "show", "dev", device, "ingress").StandardOutput);
        foreach (var filter in json.RootElement.EnumerateArray())
        {
            if (filter.TryGetProperty("options", out var options) && options.TryGetProperty("prog", out var prog))
            {
                return prog.GetProperty("id").GetInt32();
            }
        }
        throw new InvalidOperationException($"in {ns}: no tc ingress program on {device}");
    }

    [LibraryImport("libbpf.so.1", EntryPoint = "bpf_enable_stats")]
    private static partial int EnableStats(int type);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
