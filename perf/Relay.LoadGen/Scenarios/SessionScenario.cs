using System.Diagnostics;
using Relay.LoadGen.Measure;
using Relay.LoadGen.Results;
using Relay.LoadGen.Rig;
using Relay.LoadGen.Sessions;
using Relay.LoadGen.Traffic;

namespace Relay.LoadGen.Scenarios;

/// <summary>
/// Session setup at scale: N tunnels with one session each and full PPP (LCP, CHAP-MD5, IPCP),
/// spread over sockets of up to 16,384 tunnels (one controller and one thread per socket). The
/// ramp keeps 512 dials per socket in setup at once; the storm dials all N at once. Reports setup
/// rate, failures, relayd's RSS growth per session, then holds the sessions for a window and
/// reports relayd's CPU for HELLO / LCP echo keep-alives (intervals shortened to make that load visible).
/// </summary>
internal static class SessionScenario
{
    private const int TunnelsPerSocket = 16_384;
    private const int RampWindow = 512;
    private const int KeepAliveSeconds = 5;

    public static ScenarioResult Run(BenchRig rig, ScenarioSpec spec, TimeSpan window, TextWriter log)
    {
        var storm = spec.Kind == ScenarioKind.SetupStorm;
        var notes = new List<string>();
        using var relayd = rig.StartRelayd(new RelaydSettings(KeepAliveSeconds, KeepAliveSeconds));
        var rssBefore = ProcessStats.ResidentBytes(relayd.ProcessId);
        var socketCount = Math.Max(storm ? 2 : 1, (spec.Count + TunnelsPerSocket - 1) / TunnelsPerSocket);
        var sides = new List<ClientSide>();
        try
        {
            for (var i = 0; i < socketCount; i++)
            {
                sides.Add(rig.NewSide($"s{i}", i % 2 == 0 ? BenchRig.SideAAddress : BenchRig.SideBAddress, 20_000 + i));
            }
            var counts = sides.Select((_, i) => (spec.Count / socketCount) + (i < spec.Count % socketCount ? 1 : 0)).ToArray();
            var setupTimeout = TimeSpan.FromSeconds(60 + (spec.Count / 500.0));
            var start = Stopwatch.GetTimestamp();
            RunOnEach(sides, (side, i) => side.Dial(counts[i], storm ? counts[i] : RampWindow, setupTimeout));
            var setupSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var ready = sides.Sum(s => s.Ready.Count);
            var failures = spec.Count - ready;
            log.WriteLine($"  {ready} of {spec.Count} sessions ready in {setupSeconds:F2} s ({ready / setupSeconds:N0}/s), {failures} not");
            foreach (var reason in sides.SelectMany(s => s.FailureReasons).Take(5))
            {
                notes.Add(reason);
            }
            var rssAfter = ProcessStats.ResidentBytes(relayd.ProcessId);

            // Steady state: every socket keeps answering HELLOs and echoes; relayd's CPU and runtime counters over the window.
            using var counters = RuntimeCounters.Start(relayd.ProcessId);
            var haveCounters = counters.WaitForFirstReport(TimeSpan.FromSeconds(5));
            counters.Reset();
            var cpu0 = ProcessStats.CpuSeconds(relayd.ProcessId);
            var steadyStart = Stopwatch.GetTimestamp();
            var steadyEnd = steadyStart + (long)(window.TotalSeconds * Stopwatch.Frequency);
            RunOnEach(sides, (side, _) =>
            {
                while (Stopwatch.GetTimestamp() < steadyEnd)
                {
                    side.Service(10);
                }
            });
            var steadySeconds = Stopwatch.GetElapsedTime(steadyStart).TotalSeconds;
            var steadyCpu = ProcessStats.CpuSeconds(relayd.ProcessId) - cpu0;
            var sums = haveCounters ? counters.Stop() : null;
            var stillReady = sides.Sum(s => s.Controller.ReadySessions);
            if (stillReady != ready)
            {
                notes.Add($"{ready - stillReady} sessions ended during the steady window");
            }
            if (!haveCounters)
            {
                notes.Add("relayd sent no System.Runtime counters within 5 s");
            }
            var summary = relayd.Stop();
            return new ScenarioResult
            {
                Scenario = spec.Name,
                Kind = storm ? "setup-storm" : "session-scale",
                Sessions = ready,
                WindowSeconds = Math.Round(steadySeconds, 3),
                SetupSeconds = Math.Round(setupSeconds, 3),
                SetupPerS = Math.Round(ready / setupSeconds),
                Failures = failures,
                RssBytes = rssAfter,
                RssBytesPerSession = ready == 0 ? null : Math.Round((double)(rssAfter - rssBefore) / ready),
                SteadyCpuPercent = Math.Round(100 * steadyCpu / steadySeconds, 2),
                HelloIntervalS = KeepAliveSeconds,
                EchoIntervalS = KeepAliveSeconds,
                GcCollections = sums?.Collections,
                AllocatedBytes = sums?.AllocatedBytes,
                CounterReports = sums?.Reports,
                RelaydSummary = summary,
                Notes = notes,
            };
        }
        finally
        {
            foreach (var side in sides)
            {
                side.Dispose();
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> for each side on its own thread (the side's owner for that time) and waits for all.</summary>
    private static void RunOnEach(List<ClientSide> sides, Action<ClientSide, int> action)
    {
        var failures = new Exception?[sides.Count];
        var threads = sides.Select((side, i) => new Thread(() =>
        {
            try
            {
                action(side, i);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException)
            {
                failures[i] = e;
            }
        })
        { IsBackground = true, Name = $"side {side.Name}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            throw new InvalidOperationException($"a load-generator socket failed: {failure.Message}", failure);
        }
    }
}
