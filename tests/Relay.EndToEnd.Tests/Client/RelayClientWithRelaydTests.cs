using System.Diagnostics;
using Relay.EndToEnd.Tests.Support;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Client;

/// <summary>
/// The AOT relay-client against the AOT relayd in namespaces: NAT discovery through an nftables masquerade
/// NAT and without one, the tunnel's TUN device, routes and hooks, reconnection after relayd restarts,
/// and a clean SIGTERM teardown as relayd sees it. Needs root, nft and artifacts/bin/{relayd,relay-client}.
/// </summary>
public sealed class RelayClientWithRelaydTests(ITestOutputHelper output)
{
    private const string RelaydAddress = "198.18.31.1";
    private const string NatOutside = "198.18.31.2";
    private const string ClientInside = "198.19.31.2";
    private const string NatInside = "198.19.31.1";
    private const string PublicClient = "198.18.31.3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void Probe_through_a_masquerade_nat_decides_tunnel_and_says_why()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, _, client) = NatTopology(topology);
        using var relayd = StartRelayd(server, scratch);

        var probe = RelayClient.Probe(client, RelayClient.WriteConfig(scratch, "client.json", RelaydAddress));
        output.WriteLine(probe.ToString());

        Assert.Equal("tunnel", probe.GetProperty("decision").GetString());
        Assert.True(probe.GetProperty("nat").GetBoolean());
        Assert.Equal($"{NatOutside}:4500", probe.GetProperty("mapped").GetString());
        Assert.Equal($"{ClientInside}:4500", probe.GetProperty("local").GetString());
        Assert.Equal($"nat: the relay saw udp 4500 as {NatOutside}:4500, sent from {ClientInside}:4500", probe.GetProperty("reason").GetString());
    }

    [Fact]
    public void Probe_without_nat_decides_direct()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, client) = DirectTopology(topology);
        using var relayd = StartRelayd(server, scratch);

        var probe = RelayClient.Probe(client, RelayClient.WriteConfig(scratch, "client.json", RelaydAddress));
        output.WriteLine(probe.ToString());

        Assert.Equal("direct", probe.GetProperty("decision").GetString());
        Assert.False(probe.GetProperty("nat").GetBoolean());
        Assert.Equal($"{PublicClient}:4500", probe.GetProperty("mapped").GetString());
        Assert.StartsWith("no nat: udp 4500, 500 reached", probe.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_decides_tunnel_when_a_firewall_drops_ike_but_passes_l2tp()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, nat, client) = NatTopology(topology);
        Shell.MustRun("ip", "netns", "exec", nat.Name, "nft", "add table inet relay_test_fw");
        Shell.MustRun("ip", "netns", "exec", nat.Name, "nft", "add chain inet relay_test_fw forward { type filter hook forward priority 0; }");
        Shell.MustRun("ip", "netns", "exec", nat.Name, "nft", "add rule inet relay_test_fw forward udp sport { 500, 4500 } drop");
        using var relayd = StartRelayd(server, scratch);

        var probe = RelayClient.Probe(client, RelayClient.WriteConfig(scratch, "client.json", RelaydAddress));
        output.WriteLine(probe.ToString());

        Assert.Equal("tunnel", probe.GetProperty("decision").GetString());
        Assert.Equal($"ike blocked: no answer from {RelaydAddress}:3478 to udp 4500, 500 but an answer to udp 1701", probe.GetProperty("reason").GetString());
    }

    [Fact]
    public void Client_behind_a_nat_brings_up_tun_with_address_mtu_routes_and_hooks_and_sigterm_tears_it_down()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, _, client) = NatTopology(topology);
        using var relayd = StartRelayd(server, scratch);
        var up = scratch["up.env"];
        var down = scratch["down.env"];
        var config = RelayClient.WriteConfig(scratch, "client.json", RelaydAddress, $$"""
            "routes": ["192.0.2.0/24", "198.51.100.9"],
            "hooks": { "up": "env | grep ^RELAY_ | sort > {{up}}", "down": "env | grep ^RELAY_ | sort > {{down}}" }
            """);
        using var relayClient = RelayClient.Start(client, config);
        string Context() => $"relay-client:\n{relayClient.Output}\nrelayd:\n{relayd.Output}";

        try
        {
            relayClient.WaitForLine(l => l.Contains("decision tunnel: nat: the relay saw udp 4500", StringComparison.Ordinal));
            var upLine = relayClient.WaitForLine(l => l.Contains("tunnel up: relay0 address ", StringComparison.Ordinal));
            var address = upLine.Split("address ")[1].Split(' ')[0];
            relayClient.WaitForLine(l => l.Contains("hooks.up: ran", StringComparison.Ordinal));

            var addr = client.MustExec("ip", "-o", "-4", "addr", "show", "dev", "relay0").StandardOutput;
            var link = client.MustExec("ip", "-o", "link", "show", "dev", "relay0").StandardOutput;
            var routes = client.MustExec("ip", "route", "show", "dev", "relay0").StandardOutput;
            Assert.Contains($"inet {address} peer 10.201.31.1/32", addr, StringComparison.Ordinal);
            Assert.Contains("mtu 1400", link, StringComparison.Ordinal);
            Assert.Contains("192.0.2.0/24", routes, StringComparison.Ordinal);
            Assert.Contains("198.51.100.9", routes, StringComparison.Ordinal);
            var env = File.ReadAllText(up);
            foreach (var expected in new[] { "RELAY_EVENT=up", "RELAY_DECISION=tunnel", "RELAY_INTERFACE=relay0", $"RELAY_LOCAL_ADDRESS={address}",
                "RELAY_PEER_ADDRESS=10.201.31.1", "RELAY_MTU=1400", "RELAY_ROUTES=192.0.2.0/24 198.51.100.9/32", $"RELAY_SERVER={RelaydAddress}:1701" })
            {
                Assert.Contains(expected + "\n", env, StringComparison.Ordinal);
            }
            relayd.WaitForLine(l => l.Contains($"address {address}", StringComparison.Ordinal) && l.Contains(" ready: ", StringComparison.Ordinal));

            Assert.Equal(0, relayClient.Stop());
            var ended = relayd.WaitForLine(l => l.Contains($"ended, address {address} released", StringComparison.Ordinal));
            output.WriteLine(ended);
            Assert.Contains("CDN and StopCCN to relayd", relayClient.Output, StringComparison.Ordinal);
            Assert.False(client.Exec("ip", "link", "show", "dev", "relay0").Succeeded, "relay0 still exists");
            Assert.DoesNotContain("192.0.2.0/24", client.MustExec("ip", "route").StandardOutput, StringComparison.Ordinal);
            Assert.Contains("RELAY_EVENT=down\n", File.ReadAllText(down), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(Context());
        }
    }

    [Fact]
    public void Client_reconnects_after_relayd_is_killed_and_restarted()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, client) = DirectTopology(topology);
        var relayd = StartRelayd(server, scratch);
        using var relayClient = RelayClient.Start(client, RelayClient.WriteConfig(scratch, "client.json", RelaydAddress, "\"mode\": \"always\""));
        try
        {
            relayClient.WaitForLine(l => l.Contains("tunnel up: relay0 ", StringComparison.Ordinal));
            relayd.Dispose(); // SIGKILL: no StopCCN, the client must notice by itself
            relayClient.WaitForLine(l => l.Contains("connection lost: ", StringComparison.Ordinal));
            Assert.False(client.Exec("ip", "link", "show", "dev", "relay0").Succeeded, "relay0 kept while the relay is gone");
            var restart = Stopwatch.StartNew();
            relayd = StartRelayd(server, scratch);
            relayClient.WaitForNth(2, l => l.Contains("tunnel up: relay0 ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            output.WriteLine($"tunnel back {restart.ElapsedMilliseconds} ms after relayd restarted");
            Assert.True(client.Exec("ip", "link", "show", "dev", "relay0").Succeeded);
            Assert.Equal(0, relayClient.Stop());
        }
        finally
        {
            output.WriteLine($"relay-client:\n{relayClient.Output}\nrelayd:\n{relayd.Output}");
            relayd.Dispose();
        }
    }

    [Fact]
    public void A_killed_client_loses_its_session_and_lease_on_relayd()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, client) = DirectTopology(topology);
        using var relayd = StartRelayd(server, scratch, echo: """, "echoIntervalSeconds": 1, "echoFailures": 2""");
        using var relayClient = RelayClient.Start(client, RelayClient.WriteConfig(scratch, "client.json", RelaydAddress, "\"mode\": \"always\""));
        try
        {
            var up = relayClient.WaitForLine(l => l.Contains("tunnel up: relay0 address ", StringComparison.Ordinal));
            var address = up.Split("address ")[1].Split(' ')[0];
            relayd.WaitForLine(l => l.Contains($"address {address}", StringComparison.Ordinal) && l.Contains(" ready: ", StringComparison.Ordinal));
            var killed = Stopwatch.StartNew();
            relayClient.Dispose(); // SIGKILL: no CDN, no StopCCN
            relayd.WaitForLine(l => l.Contains($"ended, address {address} released", StringComparison.Ordinal));
            output.WriteLine($"relayd released {address} {killed.ElapsedMilliseconds} ms after the client was killed");
        }
        finally
        {
            output.WriteLine($"relayd:\n{relayd.Output}");
        }
    }

    private static Relayd StartRelayd(NetworkNamespace server, ScratchDirectory scratch, string echo = "")
    {
        var secrets = scratch.Write("ppp-secrets", "alice * \"wonderland\" *\nbob * \"builder\" *\n");
        return Relayd.Start(server, scratch, RelaydAddress, "s3cret", helloIntervalSeconds: 60,
            ppp: $$"""{ "secretsFile": "{{secrets}}", "auth": ["mschapv2", "chap"], "localAddress": "10.201.31.1"{{echo}} }""",
            pools: """[{ "name": "clients", "range": "10.201.31.0/24" }]""");
    }

    /// <summary>client (198.19.31.2) — NAT (masquerade on its outside link) — relayd (198.18.31.1).</summary>
    private static (NetworkNamespace Server, NetworkNamespace Nat, NetworkNamespace Client) NatTopology(Topology.Topology topology)
    {
        var server = topology.AddNamespace("s");
        var nat = topology.AddNamespace("n");
        var client = topology.AddNamespace("c");
        topology.Link(server, "eth0", $"{RelaydAddress}/24", nat, "eth1", $"{NatOutside}/24");
        topology.Link(nat, "eth0", $"{NatInside}/24", client, "eth0", $"{ClientInside}/24");
        nat.EnableForwarding();
        nat.AddMasquerade("eth1");
        client.SetDefaultRoute(NatInside);
        return (server, nat, client);
    }

    /// <summary>client (198.18.31.3, a public address) — relayd (198.18.31.1) on one link.</summary>
    private static (NetworkNamespace Server, NetworkNamespace Client) DirectTopology(Topology.Topology topology)
    {
        var server = topology.AddNamespace("s");
        var client = topology.AddNamespace("c");
        topology.Link(server, "eth0", $"{RelaydAddress}/24", client, "eth0", $"{PublicClient}/24");
        return (server, client);
    }
}
