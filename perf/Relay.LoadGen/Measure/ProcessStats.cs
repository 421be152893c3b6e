using System.Globalization;

namespace Relay.LoadGen.Measure;

/// <summary>CPU time and resident memory of a process from /proc (proc(5)).</summary>
internal static class ProcessStats
{
    /// <summary>USER_HZ; 100 on every Linux architecture we run on (sysconf(_SC_CLK_TCK)).</summary>
    private const double TicksPerSecond = 100.0;

    /// <summary>utime + stime of every thread so far, in seconds (fields 14 and 15 of /proc/PID/stat).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond;
    }

    /// <summary>VmRSS of /proc/PID/status in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"no VmRSS in /proc/{pid}/status");
    }
}
