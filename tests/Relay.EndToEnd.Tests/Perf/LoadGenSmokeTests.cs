using System.Text.Json;
using Relay.LoadGen;
using Relay.Testing;

namespace Relay.EndToEnd.Tests.Perf;

/// <summary>
/// The perf harness end to end on its tiny "smoke" scenario (two session pairs through the AOT
/// relayd, one-second windows, then the C baseline), with relayd in user space and with the XDP and
/// tc fast paths: the JSON report it writes has every field the results format promises, with sane
/// values, and the fast path rows were forwarded by the kernel. Fails when the harness breaks; it
/// does not judge speed. Needs root, clang and artifacts/bin/relayd with its BPF objects. About 45 s.
/// </summary>
public sealed class LoadGenSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void The_smoke_scenario_writes_a_report_with_every_field_and_sane_values()
    {
        var outDir = Path.Combine(Path.GetTempPath(), $"relay-loadgen-test-{Guid.NewGuid():N}");
        try
        {
            var options = LoadGenOptions.Parse(["--scenario", "smoke", "--fast-path", "off,xdp,tc", "--out", outDir, "--relayd", RepositoryPaths.Relayd()]);
            using var log = new StringWriter();
            var (_, path) = LoadGenerator.Run(options, log);
            output.WriteLine(log.ToString());

            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            Assert.True(DateTimeOffset.TryParse(root.GetProperty("timestamp").GetString(), out _));
            Assert.True(root.GetProperty("machine").GetProperty("cpus").GetInt32() >= 1);
            Assert.False(string.IsNullOrEmpty(root.GetProperty("commit").GetString()));
            var results = root.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(["off", "xdp", "tc"], results.Select(r => r.GetProperty("fast_path").GetString()));
            foreach (var result in results)
            {
                CheckForwardingRow(result);
            }
            // One baseline measurement, shared by every mode's row.
            Assert.Single(results.Select(r => r.GetProperty("baseline_pps").GetDouble()).Distinct());
            foreach (var kernel in results.Skip(1))
            {
                // The kernel forwarded (relayd's closing fastpath line), and its CPU was counted.
                var summary = kernel.GetProperty("relayd_summary").GetString()!;
                var forwarded = System.Text.RegularExpressions.Regex.Match(summary, @"fastpath: sessions=\d+ forwarded=(\d+)");
                Assert.True(forwarded.Success && long.Parse(forwarded.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, summary);
            }
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    private static void CheckForwardingRow(JsonElement result)
    {
        Assert.Equal("smoke", result.GetProperty("scenario").GetString());
        Assert.Equal(64, result.GetProperty("payload_bytes").GetInt32());
        Assert.Equal(4, result.GetProperty("sessions").GetInt32());
        // The C baseline forwarded the same probes on the same topology, and was measured.
        Assert.True(result.GetProperty("baseline_pps").GetDouble() > 0, "baseline_pps");
        Assert.True(result.GetProperty("baseline_cpu_s_per_mpkt").GetDouble() > 0, "baseline cpu per Mpkt");
        InRange(result.GetProperty("baseline_loss").GetDouble(), 0, 1, "baseline_loss");
        Ordered(result.GetProperty("baseline_latency_us"));
        // relayd's own figures are present whatever they are (pps, ratio, loss), and its runtime counters were read over EventPipe.
        Assert.True(result.GetProperty("pps").GetDouble() >= 0);
        Assert.True(result.GetProperty("gbps").GetDouble() >= 0);
        Assert.True(result.GetProperty("ratio").GetDouble() >= 0);
        InRange(result.GetProperty("loss").GetDouble(), 0, 1, "loss");
        // The half-rate latency run exists exactly when relayd forwarded at all.
        if (result.GetProperty("pps").GetDouble() > 0)
        {
            Ordered(result.GetProperty("latency_us"));
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, result.GetProperty("latency_us").ValueKind);
        }
        Assert.True(result.GetProperty("gc_collections").GetInt64() >= 0, "gc_collections");
        Assert.True(result.GetProperty("allocated_bytes").GetInt64() >= 0, "allocated_bytes");
        Assert.True(result.GetProperty("counter_reports").GetInt32() >= 1, "at least one System.Runtime counter report in the window");
        Assert.True(result.TryGetProperty("cpu_s_per_mpkt", out _));
        Assert.StartsWith("udp_relay: stopped: received=", result.GetProperty("baseline_summary").GetString(), StringComparison.Ordinal);
        // The relay's CPU including the kernel's share, and what one relay CPU forwards.
        Assert.True(result.GetProperty("baseline_core_s_per_mpkt").GetDouble() > 0, "baseline relay CPU per Mpkt");
        InRange(result.GetProperty("core_busy").GetDouble(), 0, 2, "core_busy");
        if (result.GetProperty("pps").GetDouble() > 0)
        {
            Assert.True(result.GetProperty("core_s_per_mpkt").GetDouble() > 0, "relay CPU per Mpkt");
            Assert.True(result.GetProperty("pps_per_core").GetDouble() > 0, "pps per relay CPU");
        }
    }

    private static void InRange(double value, double min, double max, string what)
        => Assert.True(value >= min && value <= max, $"{what} = {value}, expected {min}..{max}");

    private static void Ordered(JsonElement latency)
    {
        var p50 = latency.GetProperty("p50").GetDouble();
        var p99 = latency.GetProperty("p99").GetDouble();
        var p999 = latency.GetProperty("p999").GetDouble();
        Assert.True(latency.GetProperty("samples").GetInt64() > 0, "latency samples");
        Assert.True(p50 >= 0 && p50 <= p99 && p99 <= p999, $"latency p50 {p50} p99 {p99} p99.9 {p999}");
    }
}
