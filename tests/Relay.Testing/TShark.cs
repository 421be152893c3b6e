using System.Diagnostics;

namespace Relay.Testing;

/// <summary>
/// Runs the real Wireshark dissector over a pcap file, as an independent judge of what
/// Relay.Wire writes. install-deps.sh installs tshark; a missing tshark fails the test.
/// </summary>
public static class TShark
{
    /// <summary>
    /// Dissects every packet and returns one row per packet with the requested fields
    /// (multiple occurrences of a field joined by ','). Fails if tshark flags any packet as
    /// malformed or raises an expert message of warning or error severity, naming the packet.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Dissect(string pcapPath, params string[] fields)
    {
        var all = new List<string> { "frame.number", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message", "_ws.col.info" };
        all.AddRange(fields);
        var args = new List<string> { "-r", pcapPath, "-n", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=," };
        foreach (var f in all)
        {
            args.Add("-e");
            args.Add(f);
        }
        var output = Run(args);
        var rows = new List<IReadOnlyDictionary<string, string>>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cells = line.Split('\t');
            var row = new Dictionary<string, string>();
            for (var i = 0; i < all.Count; i++)
            {
                row[all[i]] = i < cells.Length ? cells[i] : "";
            }
            rows.Add(row);
        }
        foreach (var row in rows)
        {
            var severities = row["_ws.expert.severity"];
            // Expert severities: 0x00200000 note, 0x00400000 warning, 0x00800000 error. Chat and note are informational.
            var bad = row["_ws.malformed"].Length > 0
                || severities.Split(',', StringSplitOptions.RemoveEmptyEntries).Any(s => Convert.ToInt64(s, s.StartsWith("0x", StringComparison.Ordinal) ? 16 : 10) >= 0x00600000);
            if (bad)
            {
                throw new InvalidOperationException(
                    $"tshark flagged packet {row["frame.number"]} ({row["_ws.col.info"]}): {row["_ws.expert.message"]} {row["_ws.malformed"]}");
            }
        }
        return rows;
    }

    /// <summary>The full verbose dissection, for diagnostics in assertion messages.</summary>
    public static string Verbose(string pcapPath) => Run(["-r", pcapPath, "-n", "-V"]);

    private static string Run(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("tshark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("tshark did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tshark exited {process.ExitCode}: {stderr.Result}");
        }
        return stdout.Result;
    }
}
