using Relay.LoadGen.Sessions;
using Relay.Topology;

namespace Relay.LoadGen.Rig;

/// <summary>
/// The AOT relayd under test inside the relay namespace, pinned with taskset to the relay CPU, with
/// a config sized for the scenarios: one data-plane worker (the targets are per worker), a /12 pool (65,535 leases and more), 65,535 tunnels, no SCCRQ
/// rate limit worth the name (the storm comes from two source addresses), CHAP-MD5 against a
/// secrets file, tunnel authentication on, control socket and metrics kept private to this run.
/// </summary>
internal sealed class RelaydProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly NamespaceProcess _process;

    private RelaydProcess(NamespaceProcess process) => _process = process;

    public int ProcessId => _process.ProcessId;

    public string Output => _process.Output;

    public static RelaydProcess Start(BenchRig rig, RelaydSettings settings)
    {
        var credentials = BenchCredentials.Default;
        var secrets = Path.Combine(rig.Scratch, "ppp-secrets");
        File.WriteAllText(secrets, $"{credentials.User} * \"{credentials.Password}\" *\n");
        var config = Path.Combine(rig.Scratch, "relayd.json");
        var fastPath = settings.FastPath == "off"
            ? ""
            : $$""", "fastPath": "{{settings.FastPath}}", "fastPathInterface": "eth0", "fastPathRequired": true, "fastPathPins": "{{rig.FastPathPins}}" """;
        File.WriteAllText(config, BenchRig.Invariant($$"""
            {
              "listen": { "l2tp": "{{BenchRig.RelayAddress}}:{{BenchRig.RelaydPort}}", "stun": "{{BenchRig.RelayAddress}}:3478" },
              "pools": [{ "name": "bench", "range": "10.192.0.0/12" }],
              "tunnel": {
                "secret": "{{credentials.TunnelSecret}}", "hostName": "relay",
                "helloIntervalSeconds": {{settings.HelloIntervalSeconds}},
                "maxTunnels": 65535, "maxSessions": 131072, "sccrqPerSecondPerSource": 100000
              },
              "ppp": { "secretsFile": "{{secrets}}", "auth": ["chap"], "echoIntervalSeconds": {{settings.EchoIntervalSeconds}} },
              "dataplane": { "workers": {{settings.Workers}}, "statsSeconds": 0{{fastPath}}},
              "control": { "socket": "{{Path.Combine(rig.Scratch, "control.sock")}}" },
              "metrics": { "listen": null }
            }
            """));
        string[] command = rig.Options.RelayCpu is { } cpu
            ? ["taskset", "-c", cpu.ToString(System.Globalization.CultureInfo.InvariantCulture), rig.Options.RelaydPath, "--config", config]
            : [rig.Options.RelaydPath, "--config", config];
        var process = rig.Relay.Start(command);
        try
        {
            process.WaitForLine(l => l.Contains("l2tp: listening on udp", StringComparison.Ordinal), StartTimeout);
            if (settings.FastPath != "off")
            {
                // fastPathRequired: relayd exits (and this throws with its output) when the attach fails.
                process.WaitForLine(l => l.Contains("fastpath: ", StringComparison.Ordinal) && l.Contains(" on eth0, maps pinned", StringComparison.Ordinal), StartTimeout);
            }
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new RelaydProcess(process);
    }

    /// <summary>SIGTERM and wait; returns relayd's closing summary lines (L2TP, data plane), or null when it printed none.</summary>
    public string? Stop()
    {
        if (_process.HasExited)
        {
            return null;
        }
        _process.SignalAndWait(15, TimeSpan.FromSeconds(30));
        // relayd's closing lines: the L2TP summary and the data plane's packets and drops by reason.
        var lines = _process.Output.Split('\n')
            .Where(l => l.Contains("l2tp: stopped:", StringComparison.Ordinal) || l.Contains("dataplane: rx=", StringComparison.Ordinal) || l.Contains("fastpath: sessions=", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .ToList();
        return lines.Count == 0 ? null : string.Join(" | ", lines.TakeLast(3));
    }

    public void Dispose() => _process.Dispose();
}
