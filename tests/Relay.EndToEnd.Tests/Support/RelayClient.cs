using System.Text.Json;
using Relay.Testing;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Support;

/// <summary>The AOT relay-client inside a namespace, with a config written to the scratch directory.</summary>
internal sealed class RelayClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly NamespaceProcess _process;

    private RelayClient(NamespaceProcess process) => _process = process;

    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    /// <summary>$RELAY_CLIENT, else &lt;repo&gt;/artifacts/bin/relay-client. A missing binary fails the test (never a skip).</summary>
    public static string Binary()
    {
        var path = Environment.GetEnvironmentVariable("RELAY_CLIENT") is { Length: > 0 } env ? env : Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "relay-client");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"relay-client binary not found at {path}. Build it with `make publish` or set RELAY_CLIENT.", path);
        }
        return path;
    }

    /// <summary>
    /// A config for relay-client (JSON members to add or override the test defaults: PPP user alice, tunnel
    /// secret s3cret by default, fast echo and reconnect so failures show within seconds).
    /// </summary>
    public static string WriteConfig(ScratchDirectory scratch, string name, string relay, string extraMembers = "", string user = "alice", string password = "wonderland")
    {
        ArgumentNullException.ThrowIfNull(scratch);
        return scratch.Write(name, $$"""
            {
              "relay": "{{relay}}",
              "tunnel": { "secret": "s3cret", "helloIntervalSeconds": 5 },
              "ppp": { "user": "{{user}}", "password": "{{password}}", "echoIntervalSeconds": 1, "echoFailures": 2 },
              "reconnect": { "initialDelayMs": 200, "maxDelayMs": 2000 }{{(extraMembers.Length == 0 ? "" : ",\n  " + extraMembers)}}
            }
            """);
    }

    public static RelayClient Start(NetworkNamespace ns, string config)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return new RelayClient(ns.Start(Binary(), "--config", config));
    }

    /// <summary>Runs <c>relay-client --probe</c> and returns its one JSON line, parsed.</summary>
    public static JsonElement Probe(NetworkNamespace ns, string config)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var result = ns.Exec(Binary(), "--config", config, "--probe");
        Assert.True(result.Succeeded, result.ToString());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.ToString());
        using var document = JsonDocument.Parse(lines[0]);
        return document.RootElement.Clone();
    }

    public string WaitForLine(Func<string, bool> match, TimeSpan? timeout = null) => _process.WaitForLine(match, timeout ?? Timeout);

    /// <summary>Waits for the <paramref name="n"/>-th line (1-based) that satisfies <paramref name="match"/>.</summary>
    public string WaitForNth(int n, Func<string, bool> match, TimeSpan? timeout = null)
    {
        var seen = 0;
        return _process.WaitForLine(l => match(l) && ++seen == n, timeout ?? Timeout);
    }

    /// <summary>SIGTERM; returns the exit code.</summary>
    public int Stop() => _process.SignalAndWait(15, Timeout);

    public void Dispose() => _process.Dispose();
}
