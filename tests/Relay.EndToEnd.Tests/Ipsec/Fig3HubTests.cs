using System.Diagnostics;
using Relay.EndToEnd.Tests.Support;
using Relay.Testing;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Ipsec;

/// <summary>
/// FIG. 3 of the invention, whole: client A behind NAT-A and client B behind NAT-B, relayd on the "internet"
/// between them. Each runs relay-client (mode auto: it must find the NAT and decide "tunnel") and strongSwan;
/// IKEv2 runs between their tunnel addresses through relayd, and a TCP stream and full-size UDP datagrams
/// cross the SA intact. Captures on both NATs' outside links show nothing but L2TP (1701) and STUN (3478):
/// no IKE or ESP crosses a NAT bare. Needs root, strongSwan, tshark, artifacts/bin/{relayd,relay-client}.
/// </summary>
public sealed class Fig3HubTests(ITestOutputHelper output)
{
    private const string RelaydA = "198.18.32.1";
    private const string RelaydB = "198.18.33.1";
    private const string InnerA = "10.77.32.1";
    private const string InnerB = "10.77.33.1";

    /// <summary>
    /// ipsec0's MTU so that an inner packet, ESP-in-UDP encapsulated (IPv4 20 + UDP 8 + SPI/seq 8 + AES-CBC IV 16
    /// + padding to 16 with 2 trailer octets + ICV 16), still fits the 1400 octets PPP negotiated on relay0.
    /// </summary>
    private const int IpsecMtu = 1312;

    [Fact]
    public void Ipsec_between_two_natted_clients_runs_through_relayd_and_delivers_its_bytes_intact()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var (natA, clientA) = Site(topology, server, "a", "32");
        var (natB, clientB) = Site(topology, server, "b", "33");
        var secrets = scratch.Write("ppp-secrets", "alice * \"wonderland\" *\nbob * \"builder\" *\n");
        using var relayd = Relayd.Start(server, scratch, "0.0.0.0", "s3cret", helloIntervalSeconds: 60,
            ppp: $$"""{ "secretsFile": "{{secrets}}", "auth": ["mschapv2", "chap"], "localAddress": "10.201.32.1" }""",
            pools: """[{ "name": "clients", "range": "10.201.32.0/24" }]""");
        using var captureA = PacketCapture.Start(natA, "eth1", scratch["nat-a-outside.pcapng"], "ip and not (udp port 1701 or udp port 3478)");
        using var captureB = PacketCapture.Start(natB, "eth1", scratch["nat-b-outside.pcapng"], "ip and not (udp port 1701 or udp port 3478)");
        const string routes = "\"routes\": [\"10.201.32.0/24\"]";
        var clock = Stopwatch.StartNew();
        using var relayClientA = RelayClient.Start(clientA, RelayClient.WriteConfig(scratch, "a.json", RelaydA, routes));
        using var relayClientB = RelayClient.Start(clientB, RelayClient.WriteConfig(scratch, "b.json", RelaydB, routes, "bob", "builder"));
        StrongSwan? swanA = null;
        StrongSwan? swanB = null;
        try
        {
            relayClientA.WaitForLine(l => l.Contains("decision tunnel: nat: ", StringComparison.Ordinal));
            relayClientB.WaitForLine(l => l.Contains("decision tunnel: nat: ", StringComparison.Ordinal));
            var addressA = TunnelAddress(relayClientA);
            var addressB = TunnelAddress(relayClientB);
            var tunnelsUp = clock.Elapsed;

            swanA = StrongSwan.Start(clientA, scratch, "a", addressA, addressB, InnerA, InnerB);
            swanB = StrongSwan.Start(clientB, scratch, "b", addressB, addressA, InnerB, InnerA);
            swanA.SetIpsecMtu(IpsecMtu);
            swanB.SetIpsecMtu(IpsecMtu);
            var initiated = swanA.Initiate();
            var saUp = clock.Elapsed;
            Assert.Contains($"TS {InnerA}/32 === {InnerB}/32", initiated, StringComparison.Ordinal);

            var mbps = IpsecFlow.Tcp(clientA, InnerA, clientB, InnerB, 2 << 20);
            IpsecFlow.FullSizeUdp(clientB, InnerB, clientA, InnerA, IpsecMtu - 28, 20);
            output.WriteLine($"both tunnels up {tunnelsUp.TotalMilliseconds:F0} ms after start; SA up at {saUp.TotalMilliseconds:F0} ms; TCP 2 MiB through relayd {mbps:F0} Mbit/s");

            Assert.True(swanB.InboundBytes() >= 2 << 20, swanB.ListSas());
            Assert.True(swanA.InboundBytes() >= 20 * (IpsecMtu - 28), swanA.ListSas());
            // Nothing but L2TP and STUN left either client's site.
            foreach (var capture in new[] { captureA, captureB })
            {
                var path = capture.Stop();
                var bare = TShark.Dissect(path, "ip.src", "ip.dst", "ip.proto");
                Assert.True(bare.Count == 0, $"{path}: {bare.Count} packets other than L2TP/STUN, e.g. {string.Join(", ", bare.Take(3).Select(r => $"{r["ip.src"]}->{r["ip.dst"]} proto {r["ip.proto"]}"))}");
            }
            Assert.Contains(" ready: ", relayd.Output, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine($"relay-client A:\n{relayClientA.Output}\nrelay-client B:\n{relayClientB.Output}\nrelayd:\n{relayd.Output}");
            output.WriteLine($"charon A:\n{swanA?.Output}\ncharon B:\n{swanB?.Output}");
            swanA?.Dispose();
            swanB?.Dispose();
        }
    }

    private static string TunnelAddress(RelayClient client)
    {
        var line = client.WaitForLine(l => l.Contains("tunnel up: relay0 address ", StringComparison.Ordinal));
        return line.Split("address ")[1].Split(' ')[0];
    }

    /// <summary>One client site: client (198.19.N.2) — NAT (198.19.N.1 inside, 198.18.N.2 outside, masquerading) — relayd (198.18.N.1).</summary>
    private static (NetworkNamespace Nat, NetworkNamespace Client) Site(Topology.Topology topology, NetworkNamespace server, string name, string net)
    {
        var nat = topology.AddNamespace($"n{name}");
        var client = topology.AddNamespace($"c{name}");
        topology.Link(server, $"eth{name}", $"198.18.{net}.1/24", nat, "eth1", $"198.18.{net}.2/24");
        topology.Link(nat, "eth0", $"198.19.{net}.1/24", client, "eth0", $"198.19.{net}.2/24");
        nat.EnableForwarding();
        nat.AddMasquerade("eth1");
        client.SetDefaultRoute($"198.19.{net}.1");
        return (nat, client);
    }
}
