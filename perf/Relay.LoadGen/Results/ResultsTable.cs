using System.Globalization;
using System.Text;

namespace Relay.LoadGen.Results;

/// <summary>The aligned text table printed at the end of a run (and pasted into README "Performance").</summary>
internal static class ResultsTable
{
    public static string Format(IReadOnlyList<ScenarioResult> results)
    {
        var rows = new List<string[]>
        {
            new[] { "scenario", "path", "bytes", "sessions", "pps", "Gbit/s", "baseline pps", "ratio", "loss", "p50 µs", "p99 µs", "p99.9 µs", "base p99", "cpu s/Mpkt", "base cpu", "relay cpu s/Mpkt", "base", "busy", "pps/cpu", "base pps/cpu", "cpu ratio", "prog ns", "GCs", "alloc B", "setup/s", "fail", "RSS B/sess", "steady cpu%" },
        };
        foreach (var r in results)
        {
            rows.Add([
                r.Scenario, r.FastPath ?? "-", N(r.PayloadBytes), r.Sessions.ToString(CultureInfo.InvariantCulture), N(r.Pps, "N0"), N(r.Gbps, "F3"), N(r.BaselinePps, "N0"),
                N(r.Ratio, "F2"), N(r.Loss, "P2"), N(r.LatencyUs?.P50, "F0"), N(r.LatencyUs?.P99, "F0"), N(r.LatencyUs?.P999, "F0"),
                N(r.BaselineLatencyUs?.P99, "F0"), N(r.CpuSPerMpkt, "F2"), N(r.BaselineCpuSPerMpkt, "F2"),
                N(r.CoreSPerMpkt, "F2"), N(r.BaselineCoreSPerMpkt, "F2"), N(r.CoreBusy, "P0"),
                N(r.PpsPerCore, "N0"), N(r.BaselinePpsPerCore, "N0"), N(r.CoreRatio, "F1"), N(r.ProgramNsPerPacket, "F0"), N(r.GcCollections), N(r.AllocatedBytes),
                N(r.SetupPerS, "N0"), N(r.Failures), N(r.RssBytesPerSession, "N0"), N(r.SteadyCpuPercent, "F1"),
            ]);
        }
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        var text = new StringBuilder();
        for (var r = 0; r < rows.Count; r++)
        {
            for (var i = 0; i < rows[r].Length; i++)
            {
                text.Append(i == 0 ? rows[r][i].PadRight(widths[i]) : "  " + rows[r][i].PadLeft(widths[i]));
            }
            text.AppendLine();
            if (r == 0)
            {
                text.AppendLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
            }
        }
        return text.ToString();
    }

    private static string N(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string N(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-";

    private static string N(int? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-";
}
