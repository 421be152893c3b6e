using Relay.EndToEnd.Tests.Support;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Ipsec;

/// <summary>
/// FIG. 1 of the invention: the IPsec gateway is itself a relay-client, on relayd's LAN (no NAT, so mode
/// "always"), routing a LAN prefix; a client behind a NAT reaches a host on that LAN over IPsec whose SA
/// runs between the two tunnel addresses through relayd. Needs root, strongSwan, the AOT relayd and relay-client.
/// </summary>
public sealed class Fig1PrivateGatewayTests(ITestOutputHelper output)
{
    private const string LanPrefix = "10.78.0.0/24";
    private const string GatewayLan = "10.78.0.1";
    private const string LanHost = "10.78.0.2";
    private const string InnerClient = "10.77.32.1";

    [Fact]
    public void A_natted_client_reaches_a_host_behind_a_tunnelled_gateway_over_ipsec()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var nat = topology.AddNamespace("n");
        var client = topology.AddNamespace("c");
        var gateway = topology.AddNamespace("g");
        var host = topology.AddNamespace("h");
        topology.Link(server, "etha", "198.18.32.1/24", nat, "eth1", "198.18.32.2/24");
        topology.Link(nat, "eth0", "198.19.32.1/24", client, "eth0", "198.19.32.2/24");
        topology.Link(server, "ethlan", "198.18.34.1/24", gateway, "eth0", "198.18.34.2/24");
        topology.Link(gateway, "lan0", $"{GatewayLan}/24", host, "eth0", $"{LanHost}/24");
        nat.EnableForwarding();
        nat.AddMasquerade("eth1");
        client.SetDefaultRoute("198.19.32.1");
        gateway.EnableForwarding();
        host.SetDefaultRoute(GatewayLan);
        var secrets = scratch.Write("ppp-secrets", $"alice * \"wonderland\" {Fig3Hub.AddressA}\nbob * \"builder\" {Fig3Hub.AddressB}\n");
        using var relayd = Relayd.Start(server, scratch, "0.0.0.0", "s3cret", helloIntervalSeconds: 60,
            ppp: $$"""{ "secretsFile": "{{secrets}}", "auth": ["mschapv2", "chap"], "localAddress": "10.201.32.1" }""",
            pools: """[{ "name": "clients", "range": "10.201.32.0/24" }]""");
        const string routes = "\"routes\": [\"10.201.32.0/24\"]";
        using var relayClient = RelayClient.Start(client, RelayClient.WriteConfig(scratch, "c.json", "198.18.32.1", routes));
        using var gatewayClient = RelayClient.Start(gateway, RelayClient.WriteConfig(scratch, "g.json", "198.18.34.1", routes + ", \"mode\": \"always\"", "bob", "builder"));
        StrongSwan? swanClient = null;
        StrongSwan? swanGateway = null;
        try
        {
            relayClient.WaitForLine(l => l.Contains($"tunnel up: relay0 address {Fig3Hub.AddressA} ", StringComparison.Ordinal));
            gatewayClient.WaitForLine(l => l.Contains($"tunnel up: relay0 address {Fig3Hub.AddressB} ", StringComparison.Ordinal));
            Assert.Contains("decision tunnel: nat: ", relayClient.Output, StringComparison.Ordinal);
            swanClient = StrongSwan.Start(client, scratch, "c", Fig3Hub.AddressA, Fig3Hub.AddressB, InnerClient, GatewayLan,
                localTs: null, remoteTs: LanPrefix);
            swanGateway = StrongSwan.Start(gateway, scratch, "g", Fig3Hub.AddressB, Fig3Hub.AddressA, GatewayLan, InnerClient,
                localTs: LanPrefix, remoteTs: $"{InnerClient}/32");
            swanClient.SetIpsecMtu(Fig3Hub.IpsecMtu);
            swanGateway.SetIpsecMtu(Fig3Hub.IpsecMtu);
            var initiated = swanClient.Initiate();
            Assert.Contains($"TS {InnerClient}/32 === {LanPrefix}", initiated, StringComparison.Ordinal);

            var mbps = IpsecFlow.Tcp(client, InnerClient, host, LanHost, 2 << 20);
            IpsecFlow.FullSizeUdp(host, LanHost, client, InnerClient, Fig3Hub.IpsecMtu - 28, 20);
            output.WriteLine($"TCP 2 MiB client -> LAN host through relayd and the gateway: {mbps:F0} Mbit/s");
            Assert.True(swanGateway.InboundBytes() >= 2 << 20, swanGateway.ListSas());
        }
        finally
        {
            output.WriteLine($"relay-client:\n{relayClient.Output}\ngateway relay-client:\n{gatewayClient.Output}\nrelayd:\n{relayd.Output}\ncharon client:\n{swanClient?.Output}\ncharon gateway:\n{swanGateway?.Output}");
            swanClient?.Dispose();
            swanGateway?.Dispose();
        }
    }
}
