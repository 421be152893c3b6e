namespace Relay.LoadGen.Measure;

/// <summary>
/// The CPU time a relay costs, wherever the kernel spends it. The rig puts all of the relay's work
/// on the relay CPU (the relay process pinned there; its receive processing, tc and generic XDP
/// steered there by RPS; the NAPI thread native XDP runs in pinned there) and keeps the load
/// generator, all of its threads and the commands it runs off it, so the relay CPU's busy time is
/// the relay's cost, the kernel's share included. With the fast path on the kernel does the
/// forwarding and the process's own time falls to nearly nothing, so the process alone would
/// flatter it. Without a relay CPU (--relay-cpu -1) it falls back to the process's and NAPI threads' time.
/// Needs a quiet machine: anything else scheduled on the relay CPU is counted too.
/// </summary>
internal sealed class RelayCpuMeter(int processId, IReadOnlyList<int> napiThreads, int? cpu)
{
    /// <summary>Seconds so far; take the difference over a window.</summary>
    public double Seconds()
    {
        if (cpu is { } c)
        {
            return CpuTimes.BusySeconds(c);
        }
        var total = ProcessStats.CpuSeconds(processId);
        foreach (var thread in napiThreads)
        {
            total += ProcessStats.CpuSeconds(thread);
        }
        return total;
    }
}
