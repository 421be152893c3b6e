using System.Net;
using System.Net.Sockets;
using Relay.Control.Addressing;
using Relay.DataPlane.Bpf;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.DataPlane.Tests.Forwarding;
using Relay.Topology;
using Relay.Wire.Ip;

namespace Relay.DataPlane.Tests.Bpf;

/// <summary>
/// The fast path attached for real: clients A and B (own namespaces) reach the relay's uplink
/// (one veth, the edge-box shape) through a router namespace. Nothing in the relay namespace
/// listens on UDP 1701, so whatever arrives at B came through the kernel program.
/// </summary>
public sealed class FastPathNamespaceTests
{
    private static readonly IPEndPoint RelayEndPoint = new(IPAddress.Parse("10.9.0.2"), 1701);
    private static readonly IPEndPoint ClientA = new(IPAddress.Parse("10.1.0.2"), 40001);
    private static readonly IPEndPoint ClientB = new(IPAddress.Parse("10.2.0.2"), 40002);

    [Theory]
    [InlineData(FastPathMode.Xdp)]
    [InlineData(FastPathMode.XdpGeneric)]
    [InlineData(FastPathMode.Tc)]
    public void Forwards_between_two_clients_in_the_kernel_and_drops_spoofed_and_denied_packets(FastPathMode mode)
    {
        using var topology = new Relay.Topology.Topology("bpf");
        var (a, b, router, relay) = Build(topology);
        var table = new ForwardingTable([Packets.Pool], workers: 1);
        table.Ready(Packets.KeyA, UdpPeer.FromEndPoint(ClientA), 0x0A0A, 0x0A0B, false, Packets.AddressA);
        table.Ready(Packets.KeyB, UdpPeer.FromEndPoint(ClientB), 0x0B0B, 0x0B0C, false, Packets.AddressB);
        table.Publish();
        var pins = FastPathFixture.NewPinDirectory();
        using (var fastPath = NamespaceSockets.CreateInside(relay, () => FastPath.Start(new FastPathOptions(mode, "up0")
        {
            PinDirectory = pins,
            ObjectDirectory = BpfObjects.Directory,
        })))
        {
            fastPath.Sync(table.Current);
            Assert.Contains(mode == FastPathMode.Tc ? "clsact" : mode == FastPathMode.Xdp ? "xdp " : "xdpgeneric",
                mode == FastPathMode.Tc ? relay.MustExec("tc", "qdisc", "show", "dev", "up0").StandardOutput
                    : relay.MustExec("ip", "link", "show", "up0").StandardOutput, StringComparison.Ordinal);
            using var socketA = NamespaceSockets.OpenUdp(a, ClientA);
            using var socketB = NamespaceSockets.OpenUdp(b, ClientB);
            socketA.ReceiveTimeout = socketB.ReceiveTimeout = 5000;

            const int Rounds = 20;
            for (var i = 0; i < Rounds; i++)
            {
                Exchange(table, socketA, Packets.KeyA, Packets.Esp(16 + i, Packets.AddressA, Packets.AddressB), socketB);
                Exchange(table, socketB, Packets.KeyB, Packets.Esp(1300 + i, Packets.AddressB, Packets.AddressA), socketA);
            }

            // A forges B's session ids: the outer source is not B's peer. Then a TCP packet the policy
            // denies. B receives neither: the next datagram it sees is the valid one sent after them.
            socketA.SendTo(Packets.L2tp(Packets.Esp(16, Packets.AddressB, Packets.AddressA), Packets.KeyB, headroom: 0), RelayEndPoint);
            socketA.SendTo(Packets.L2tp(Packets.Ipv4(PolicyRule.Tcp, new byte[20]), Packets.KeyA, headroom: 0), RelayEndPoint);
            Exchange(table, socketA, Packets.KeyA, Packets.Esp(99, Packets.AddressA, Packets.AddressB), socketB);

            var counters = fastPath.ReadCounters();
            Assert.Equal(2 * Rounds + 1, counters.Forwarded);
            Assert.Equal(1, counters.Drop(DropReason.Spoofed));
            Assert.Equal(1, counters.Drop(DropReason.PolicyDenied));
            Assert.Equal(2, counters.Dropped);
            var trafficA = fastPath.ReadTraffic(Packets.KeyA);
            Assert.Equal(Rounds + 2, trafficA.ReceivedPackets); // the denied one counts as received and dropped
            Assert.Equal(1, trafficA.Drops);
            Assert.Equal(Rounds, trafficA.SentPackets);
            Assert.Equal(Rounds + 1, fastPath.ReadTraffic(Packets.KeyB).SentPackets);
        }
        Assert.False(Directory.Exists(pins));
        if (mode == FastPathMode.Tc)
        {
            Assert.DoesNotContain("clsact", relay.MustExec("tc", "qdisc", "show", "dev", "up0").StandardOutput, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("xdp", relay.MustExec("ip", "link", "show", "up0").StandardOutput, StringComparison.Ordinal);
        }
    }

    /// <summary>Sends an ESP packet in session <paramref name="key"/> and checks the peer gets what user space would have sent.</summary>
    private static void Exchange(ForwardingTable table, Socket from, SessionKey key, byte[] inner, Socket to)
    {
        var message = Packets.L2tp(inner, key, headroom: 0);
        var buffer = new byte[Packets.Headroom + message.Length];
        message.CopyTo(buffer, Packets.Headroom);
        var source = UdpPeer.FromEndPoint((IPEndPoint)from.LocalEndPoint!);
        Assert.Equal(ForwardVerdict.ToSession, Packets.FromPeer(buffer, source, table, Packets.Worker(), out var expected));

        from.SendTo(message, RelayEndPoint);
        var received = new byte[2048];
        EndPoint sender = new IPEndPoint(IPAddress.Any, 0);
        var length = to.ReceiveFrom(received, ref sender);

        Assert.Equal(RelayEndPoint, sender);
        Assert.Equal(buffer.AsSpan(expected.Start, expected.Length).ToArray(), received.AsSpan(0, length).ToArray());
    }

    private static (NetworkNamespace A, NetworkNamespace B, NetworkNamespace Router, NetworkNamespace Relay) Build(Relay.Topology.Topology topology)
    {
        var a = topology.AddNamespace("a");
        var b = topology.AddNamespace("b");
        var router = topology.AddNamespace("router");
        var relay = topology.AddNamespace("relay");
        topology.Link(a, "eth0", "10.1.0.2/24", router, "ea", "10.1.0.1/24");
        topology.Link(b, "eth0", "10.2.0.2/24", router, "eb", "10.2.0.1/24");
        topology.Link(relay, "up0", "10.9.0.2/24", router, "er", "10.9.0.1/24");
        a.SetDefaultRoute("10.1.0.1");
        b.SetDefaultRoute("10.2.0.1");
        relay.SetDefaultRoute("10.9.0.1");
        router.EnableForwarding();
        relay.EnableForwarding(); // bpf_fib_lookup answers only for interfaces that forward
        // Native XDP on veth sees what the peer sent: full checksums, not offloaded partial ones.
        foreach (var (ns, device) in new[] { (a, "eth0"), (b, "eth0"), (router, "ea"), (router, "eb"), (router, "er"), (relay, "up0") })
        {
            ns.MustExec("ethtool", "-K", device, "tx", "off");
        }
        // XDP_TX on a veth reaches the peer only when the peer runs XDP too.
        router.MustExec("ip", "link", "set", "dev", "er", "xdpdrv", "object", Path.Combine(BpfObjects.Directory, "relay_xdp.o"),
            "program", "relay_xdp_pass");
        // Neighbours resolved up front: the fast path leaves unresolved next hops to the stack.
        relay.MustExec("ping", "-c", "1", "-W", "2", "10.9.0.1");
        router.MustExec("ping", "-c", "1", "-W", "2", "10.1.0.2");
        router.MustExec("ping", "-c", "1", "-W", "2", "10.2.0.2");
        return (a, b, router, relay);
    }
}
