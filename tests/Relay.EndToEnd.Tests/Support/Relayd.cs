using Relay.Testing;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Support;

/// <summary>The AOT relayd serving L2TP as LNS on <c>ADDRESS:1701</c> inside a namespace.</summary>
internal sealed class Relayd : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly NamespaceProcess _process;

    private Relayd(NamespaceProcess process, string configPath, string controlSocket)
    {
        _process = process;
        ConfigPath = configPath;
        ControlSocket = controlSocket;
    }

    public string Output => _process.Output;

    /// <summary>The configuration file relayd runs with (rewrite it and reload to test live reconfiguration).</summary>
    public string ConfigPath { get; }

    /// <summary>relayd's control API socket, inside the scratch directory so that tests never share one.</summary>
    public string ControlSocket { get; }

    public int ProcessId => _process.ProcessId;

    public static Relayd Start(NetworkNamespace ns, ScratchDirectory scratch, string address, string secret, int helloIntervalSeconds)
        => Start(ns, scratch, address, secret, helloIntervalSeconds, ppp: """{ "secretsFile": null }""", pools: null);

    /// <summary>
    /// Like the other overload with a <c>ppp</c> object and optionally a <c>pools</c> array (JSON
    /// text, see docs/configuration.md), for tests of PPP on the sessions.
    /// </summary>
    /// <param name="more">Further top-level members (JSON text without the surrounding braces), e.g. a "dataplane" object.</param>
    /// <param name="metricsListen">metrics.listen ("address:port"); null turns the endpoint off.</param>
    public static Relayd Start(NetworkNamespace ns, ScratchDirectory scratch, string address, string secret, int helloIntervalSeconds, string ppp, string? pools,
        string? more = null, string? metricsListen = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(scratch);
        var controlSocket = scratch["run/control.sock"];
        var config = scratch.Write("relayd.json", $$"""
            {
              "listen": { "l2tp": "{{address}}:1701", "stun": "{{address}}:3478" },
              "tunnel": { "secret": "{{secret}}", "hostName": "relay", "helloIntervalSeconds": {{helloIntervalSeconds}} },
              {{(pools is null ? "" : $"\"pools\": {pools},")}}
              {{(more is null ? "" : $"{more},")}}
              "ppp": {{ppp}},
              "control": { "socket": "{{controlSocket}}" },
              "metrics": { "listen": {{(metricsListen is null ? "null" : $"\"{metricsListen}\"")}} }
            }
            """);
        var process = ns.Start(RepositoryPaths.Relayd(), "--config", config);
        try
        {
            process.WaitForLine(l => l.Contains("control: API on unix", StringComparison.Ordinal), Timeout);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new Relayd(process, config, controlSocket);
    }

    public string WaitForLine(Func<string, bool> match) => _process.WaitForLine(match, Timeout);

    /// <summary>SIGTERM: relayd sends StopCCN (result 6) to every tunnel and exits; returns its summary line.</summary>
    public string Stop()
    {
        var code = _process.SignalAndWait(15, Timeout);
        Assert.True(code == 0, $"relayd exited {code}:\n{Output}");
        return _process.WaitForLine(l => l.Contains("l2tp: stopped:", StringComparison.Ordinal), Timeout);
    }

    public void Dispose() => _process.Dispose();
}
