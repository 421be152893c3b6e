using System.Globalization;

namespace Relay.LoadGen.Measure;

/// <summary>Per-CPU time from /proc/stat (proc(5)).</summary>
internal static class CpuTimes
{
    private const double TicksPerSecond = 100.0;

    /// <summary>
    /// Time <paramref name="cpu"/> was busy so far, in seconds: user, nice, system, irq and softirq,
    /// not idle, iowait or steal (the hypervisor's). The kernel charges each tick to exactly one of
    /// these, whereas a process's stime also holds the softirqs that interrupted it, so adding a
    /// process's time to the CPU's softirq time would count those twice.
    /// </summary>
    public static double BusySeconds(int cpu)
    {
        var prefix = "cpu" + cpu.ToString(CultureInfo.InvariantCulture) + " ";
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                // user nice system idle iowait irq softirq steal ...
                var f = line[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                long T(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
                return (T(0) + T(1) + T(2) + T(5) + T(6)) / TicksPerSecond;
            }
        }
        throw new InvalidOperationException($"no {prefix.Trim()} line in /proc/stat");
    }
}
