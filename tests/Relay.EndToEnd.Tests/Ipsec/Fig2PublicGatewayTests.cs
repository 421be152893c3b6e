using System.Diagnostics;
using Relay.EndToEnd.Tests.Support;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Ipsec;

/// <summary>
/// FIG. 2 of the invention: the IPsec gateway has no tunnel and sits on the public side. relayd leases the
/// NATed client an address from a public-realm pool and forwards its inner packets to the kernel through its
/// TUN device, which routes them to the gateway; replies come back through TUN into the client's session.
/// IKEv2 runs between the client's tunnel address and the gateway's address. Needs root, strongSwan, relayd
/// with its data plane and artifacts/bin/relay-client.
/// </summary>
public sealed class Fig2PublicGatewayTests(ITestOutputHelper output)
{
    private const string RelaydAddress = "198.18.37.1";
    private const string Gateway = "198.18.35.2";
    private const string ClientAddress = "198.18.36.10";
    private const string InnerClient = "10.77.36.1";
    private const string InnerGateway = "10.77.35.1";

    [Fact]
    public void Ipsec_between_a_natted_client_and_a_public_gateway_runs_through_relayd_and_its_tun()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var nat = topology.AddNamespace("n");
        var client = topology.AddNamespace("c");
        var gateway = topology.AddNamespace("g");
        topology.Link(server, "etha", $"{RelaydAddress}/24", nat, "eth1", "198.18.37.2/24");
        topology.Link(nat, "eth0", "198.19.37.1/24", client, "eth0", "198.19.37.2/24");
        topology.Link(server, "ethg", "198.18.35.1/24", gateway, "eth0", $"{Gateway}/24");
        nat.EnableForwarding();
        nat.AddMasquerade("eth1");
        client.SetDefaultRoute("198.19.37.1");
        server.EnableForwarding();
        gateway.MustExec("ip", "route", "add", "198.18.36.0/24", "via", "198.18.35.1");

        var secrets = scratch.Write("ppp-secrets", $"alice * \"wonderland\" {ClientAddress}\n");
        using var relayd = Relayd.Start(server, scratch, "0.0.0.0", "s3cret", helloIntervalSeconds: 60,
            ppp: $$"""{ "secretsFile": "{{secrets}}", "auth": ["mschapv2", "chap"], "localAddress": "198.18.36.1" }""",
            pools: """[{ "name": "public", "range": "198.18.36.0/24", "realm": "public" }]""",
            more: "\"dataplane\": { \"tun\": { \"name\": \"rtun0\" } }");
        using var relayClient = RelayClient.Start(client, RelayClient.WriteConfig(scratch, "client.json", RelaydAddress, $"\"routes\": [\"{Gateway}\"]"));
        StrongSwan? swanClient = null;
        StrongSwan? swanGateway = null;
        try
        {
            var clock = Stopwatch.StartNew();
            relayClient.WaitForLine(l => l.Contains($"tunnel up: relay0 address {ClientAddress} ", StringComparison.Ordinal));
            Assert.Contains("decision tunnel: nat: ", relayClient.Output, StringComparison.Ordinal);
            swanClient = StrongSwan.Start(client, scratch, "c", ClientAddress, Gateway, InnerClient, InnerGateway);
            swanGateway = StrongSwan.Start(gateway, scratch, "g", Gateway, ClientAddress, InnerGateway, InnerClient);
            swanClient.SetIpsecMtu(Fig3Hub.IpsecMtu);
            swanGateway.SetIpsecMtu(Fig3Hub.IpsecMtu);
            swanClient.Initiate();
            var saUp = clock.Elapsed;

            var mbps = IpsecFlow.Tcp(client, InnerClient, gateway, InnerGateway, 2 << 20);
            IpsecFlow.FullSizeUdp(gateway, InnerGateway, client, InnerClient, Fig3Hub.IpsecMtu - 28, 20);
            output.WriteLine($"SA up {saUp.TotalMilliseconds:F0} ms after the client started; TCP 2 MiB client -> gateway via relayd's TUN {mbps:F0} Mbit/s");

            // The gateway saw the client's public-realm tunnel address, not the NAT: no NAT between them for IKE.
            var sas = swanGateway.ListSas();
            Assert.Contains($"remote '{ClientAddress}' @ {ClientAddress}[", sas, StringComparison.Ordinal);
            Assert.True(swanGateway.InboundBytes() >= 2 << 20, sas);
        }
        finally
        {
            output.WriteLine($"relay-client:\n{relayClient.Output}\nrelayd:\n{relayd.Output}\ncharon client:\n{swanClient?.Output}\ncharon gateway:\n{swanGateway?.Output}");
            swanClient?.Dispose();
            swanGateway?.Dispose();
        }
    }
}
