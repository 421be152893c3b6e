namespace Relay.LoadGen.Measure;

/// <summary>
/// The CPU time a relay costs, wherever the kernel spends it: the relay process's threads, the
/// NAPI threads its native XDP program runs in, and the softirq time of the CPU the rig steers its
/// receive processing to (stack, tc, generic XDP). With the fast path on, the kernel does the
/// forwarding and the process's own share falls to nearly nothing, so the process alone would
/// flatter it. Other work on a shared machine is not counted: only softirqs and these threads.
/// </summary>
internal sealed class RelayCpuMeter(int processId, IReadOnlyList<int> napiThreads, int? cpu)
{
    /// <summary>Seconds so far; take the difference over a window.</summary>
    public double Seconds()
    {
        var total = ProcessStats.CpuSeconds(processId);
        foreach (var thread in napiThreads)
        {
            total += ProcessStats.CpuSeconds(thread);
        }
        return cpu is { } c ? total + CpuTimes.SoftirqSeconds(c) : total;
    }
}
