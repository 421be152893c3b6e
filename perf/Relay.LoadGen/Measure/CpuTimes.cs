using System.Globalization;

namespace Relay.LoadGen.Measure;

/// <summary>Per-CPU time from /proc/stat (proc(5)).</summary>
internal static class CpuTimes
{
    private const double TicksPerSecond = 100.0;

    /// <summary>Time <paramref name="cpu"/> spent serving softirqs so far (network receive, tc, generic XDP), in seconds.</summary>
    public static double SoftirqSeconds(int cpu)
    {
        var prefix = "cpu" + cpu.ToString(CultureInfo.InvariantCulture) + " ";
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                // user nice system idle iowait irq softirq steal ...
                var fields = line[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(fields[6], CultureInfo.InvariantCulture) / TicksPerSecond;
            }
        }
        throw new InvalidOperationException($"no {prefix.Trim()} line in /proc/stat");
    }
}
