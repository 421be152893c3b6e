using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Relay.LoadGen.Results;
using Relay.LoadGen.Rig;
using Relay.LoadGen.Scenarios;
using Relay.Topology;

namespace Relay.LoadGen;

/// <summary>Runs the chosen scenarios on one bench topology, prints the table and writes the JSON report.</summary>
internal static class LoadGenerator
{
    /// <summary>Returns the report and the path of the JSON file written.</summary>
    public static (RunReport Report, string Path) Run(LoadGenOptions options, TextWriter log)
    {
        var names = options.Scenarios.Count > 0 ? options.Scenarios : options.Suite == "full" ? ScenarioSpec.FullSuite : ScenarioSpec.ShortSuite;
        var specs = names.Select(ScenarioSpec.Parse).ToList();
        if (!File.Exists(options.RelaydPath))
        {
            throw new FileNotFoundException($"relayd not found at {options.RelaydPath}: `make publish` or --relayd PATH", options.RelaydPath);
        }
        BaselineProcess.EnsureBuilt(options.BaselinePath);
        var defaultWindow = options.Seconds ?? (options.Suite == "full" ? 10 : 5);
        var machine = MachineInfo.Current();
        log.WriteLine($"relay-loadgen on {machine.Cpus} CPUs ({machine.CpuModel}), load average {machine.LoadAverage}");
        var results = new List<ScenarioResult>();
        using (var rig = new BenchRig(options))
        {
            foreach (var spec in specs)
            {
                var window = TimeSpan.FromSeconds(spec.WindowSeconds ?? defaultWindow);
                log.WriteLine($"scenario {spec.Name} (window {window.TotalSeconds:F0} s)");
                var started = Stopwatch.GetTimestamp();
                if (spec.Kind == ScenarioKind.Forwarding)
                {
                    results.AddRange(ForwardingScenario.Run(rig, spec, window, log));
                }
                else
                {
                    results.Add(SessionScenario.Run(rig, spec, window, log));
                }
                log.WriteLine($"  done in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
            }
        }
        var now = DateTimeOffset.UtcNow;
        var report = new RunReport(now.ToString("O", CultureInfo.InvariantCulture), machine, Commit(), options.Scenarios.Count > 0 ? "custom" : options.Suite, results);
        Directory.CreateDirectory(options.OutputDirectory);
        var path = Path.Combine(options.OutputDirectory, $"{now:yyyyMMdd-HHmmss}-{report.Suite}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(report, ResultsJsonContext.Default.RunReport));
        log.WriteLine();
        log.Write(ResultsTable.Format(results));
        log.WriteLine($"written {path}");
        return (report, path);
    }

    private static string Commit()
    {
        var result = Shell.Run("git", ["-C", LoadGenOptions.RepositoryRoot, "describe", "--always", "--dirty", "--abbrev=12"]);
        return result.Succeeded ? result.StandardOutput.Trim() : "unknown";
    }
}
