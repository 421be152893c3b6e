using Relay.EndToEnd.Tests.Support;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Ipsec;

/// <summary>
/// No NAT: a client with a public address decides "direct" (invention [0025]: the tunnel only when needed),
/// opens no tunnel, tells IPsec so through hooks.up, and IPsec runs straight to its peer across the
/// "internet". Needs root, strongSwan, the AOT relayd and relay-client.
/// </summary>
public sealed class NoNatDirectTests(ITestOutputHelper output)
{
    [Fact]
    public void A_client_with_a_public_address_decides_direct_opens_no_tunnel_and_ipsec_runs_directly()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var client = topology.AddNamespace("c");
        var peer = topology.AddNamespace("p");
        topology.Link(server, "ethc", "198.18.38.1/24", client, "eth0", "198.18.38.2/24");
        topology.Link(server, "ethp", "198.18.39.1/24", peer, "eth0", "198.18.39.2/24");
        server.EnableForwarding();
        client.SetDefaultRoute("198.18.38.1");
        peer.SetDefaultRoute("198.18.39.1");
        var secrets = scratch.Write("ppp-secrets", "alice * \"wonderland\" *\n");
        using var relayd = Relayd.Start(server, scratch, "198.18.38.1", "s3cret", helloIntervalSeconds: 60,
            ppp: $$"""{ "secretsFile": "{{secrets}}", "auth": ["mschapv2", "chap"] }""", pools: """[{ "name": "clients", "range": "10.201.38.0/24" }]""");
        var up = scratch["up.env"];
        using var relayClient = RelayClient.Start(client, RelayClient.WriteConfig(scratch, "c.json", "198.18.38.1",
            $$"""
            "routes": ["198.18.39.2"], "hooks": { "up": "env | grep ^RELAY_ | sort > {{up}}" }
            """));
        StrongSwan? swanClient = null;
        StrongSwan? swanPeer = null;
        try
        {
            relayClient.WaitForLine(l => l.Contains("decision direct: no nat: udp 4500, 500 reached", StringComparison.Ordinal));
            relayClient.WaitForLine(l => l.Contains("hooks.up: ran", StringComparison.Ordinal));
            Assert.Contains("RELAY_DECISION=direct\n", File.ReadAllText(up), StringComparison.Ordinal);
            Assert.False(client.Exec("ip", "link", "show", "dev", "relay0").Succeeded, "relay0 exists although the decision was direct");

            swanClient = StrongSwan.Start(client, scratch, "c", "198.18.38.2", "198.18.39.2", "10.77.38.1", "10.77.39.1");
            swanPeer = StrongSwan.Start(peer, scratch, "p", "198.18.39.2", "198.18.38.2", "10.77.39.1", "10.77.38.1");
            swanClient.Initiate();
            var mbps = IpsecFlow.Tcp(client, "10.77.38.1", peer, "10.77.39.1", 2 << 20);
            IpsecFlow.FullSizeUdp(peer, "10.77.39.1", client, "10.77.38.1", 1400 - 28, 10);
            output.WriteLine($"TCP 2 MiB directly (no relay): {mbps:F0} Mbit/s");

            Assert.DoesNotContain("l2tp: tunnel", relayd.Output, StringComparison.Ordinal);
            Assert.Equal(0, relayClient.Stop());
        }
        finally
        {
            output.WriteLine($"relay-client:\n{relayClient.Output}\nrelayd:\n{relayd.Output}");
            swanClient?.Dispose();
            swanPeer?.Dispose();
        }
    }
}
