using Relay.Testing;
using System.Text.RegularExpressions;
using Relay.Topology;

namespace Relay.Server.Tests.Stun;

/// <summary>
/// The AOT relayd in its own network namespace, asked by Debian's real RFC 3489 client (`stun`, test 1:
/// a Binding request with a zero CHANGE-REQUEST). Needs root. Addresses from 198.18.0.0/15.
/// </summary>
public sealed partial class RelaydNamespaceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly string _configPath = Path.Combine(Path.GetTempPath(), $"relayd-{Guid.NewGuid():N}.json");

    public RelaydNamespaceTests()
        => File.WriteAllText(_configPath, $$"""{ "listen": { "stun": "0.0.0.0:3478" }, "control": { "socket": "{{_configPath}}.sock" }, "metrics": { "listen": null } }""");

    public void Dispose() => File.Delete(_configPath);

    [Fact]
    public void Real_stun_client_on_a_direct_link_sees_its_own_address()
    {
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var client = topology.AddNamespace("c");
        topology.Link(server, "eth0", "198.18.0.1/24", client, "eth0", "198.18.0.2/24");

        var mapped = AskRelayd(server, client, "198.18.0.1", out var summary);

        Assert.Equal("198.18.0.2", mapped);
        Assert.Contains("answered=1 ", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Behind_a_masquerading_nat_the_client_sees_the_nat_outside_address()
    {
        using var topology = new Topology.Topology();
        var client = topology.AddNamespace("c");
        var nat = topology.AddNamespace("n");
        var server = topology.AddNamespace("s");
        topology.Link(client, "eth0", "198.18.1.2/24", nat, "in", "198.18.1.1/24");
        topology.Link(nat, "out", "198.19.0.1/24", server, "eth0", "198.19.0.2/24");
        client.SetDefaultRoute("198.18.1.1");
        nat.EnableForwarding();
        nat.AddMasquerade("out");

        var mapped = AskRelayd(server, client, "198.19.0.2", out _);

        Assert.Equal("198.19.0.1", mapped);
    }

    /// <summary>Starts relayd in <paramref name="server"/>, runs `stun ADDR 1 -v` in <paramref name="client"/>, stops relayd with SIGTERM.</summary>
    private string AskRelayd(NetworkNamespace server, NetworkNamespace client, string serverAddress, out string summary)
    {
        using var relayd = server.Start(RepositoryPaths.Relayd(), "--config", _configPath);
        relayd.WaitForLine(l => l.Contains("stun: listening on udp 0.0.0.0:3478", StringComparison.Ordinal), Timeout);

        var result = client.Exec("timeout", "20", "stun", serverAddress, "1", "-v");
        var output = result.StandardOutput + result.StandardError;
        var match = MappedAddress().Match(output);
        Assert.True(match.Success, $"stun printed no mapped address:\n{output}\nrelayd:\n{relayd.Output}");

        Assert.Equal(0, relayd.SignalAndWait(15, Timeout));
        summary = relayd.WaitForLine(l => l.Contains("stun: stopped:", StringComparison.Ordinal), Timeout);
        Assert.Contains("relayd stopped", relayd.Output, StringComparison.Ordinal);
        return match.Groups[1].Value;
    }

    // stun-client 0.97 prints "\t mappedAddr=IP:PORT" for test 1 in verbose mode.
    [GeneratedRegex(@"mappedAddr=(\d+\.\d+\.\d+\.\d+):(\d+)")]
    private static partial Regex MappedAddress();
}
