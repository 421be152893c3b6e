using Relay.DataPlane.Forwarding;
using Relay.Wire.Ip;

namespace Relay.DataPlane.Tests.Forwarding;

/// <summary>Fragments are never reassembled: the first decides for the rest of its datagram (RFC 791 §3.2 keys).</summary>
public class FragmentTests
{
    private const ushort MoreFragments = 0x2000;

    private static byte[] First(byte protocol, byte[] transport, ushort id = 7)
        => Packets.Ipv4(protocol, transport, id: id, fragmentWord: MoreFragments);

    private static byte[] Rest(byte protocol, ushort id = 7, ushort offsetUnits = 3, bool last = true)
        => Packets.Ipv4(protocol, new byte[24], id: id, fragmentWord: (ushort)(offsetUnits | (last ? 0 : MoreFragments)));

    private static ForwardResult Send(byte[] inner, ForwardingTable table, ForwardingWorkerState worker, long now = 0)
    {
        Packets.FromPeer(Packets.L2tp(inner, Packets.KeyA), Packets.PeerA, table, worker, out var result, now);
        return result;
    }

    private static byte[] EspHead() => [1, 2, 3, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void The_rest_of_a_datagram_whose_first_fragment_was_allowed_is_allowed()
    {
        var table = Packets.Hub();
        var worker = Packets.Worker();
        Assert.Equal(ForwardVerdict.ToSession, Send(First(Ipv4Header.ProtocolEsp, EspHead()), table, worker).Verdict);
        Assert.Equal(ForwardVerdict.ToSession, Send(Rest(Ipv4Header.ProtocolEsp, offsetUnits: 3, last: false), table, worker).Verdict);
        Assert.Equal(ForwardVerdict.ToSession, Send(Rest(Ipv4Header.ProtocolEsp, offsetUnits: 6), table, worker).Verdict);
    }

    [Fact]
    public void A_UDP_4500_first_fragment_is_judged_on_the_octets_it_carries()
    {
        var table = Packets.Hub();
        var worker = Packets.Worker();
        var udp = new byte[8 + 32]; // UDP header (Length counts the whole datagram) + non-ESP marker + IKE header start
        udp[0] = 0x11; udp[1] = 0x94; udp[2] = 0x11; udp[3] = 0x94; udp[4] = 0x05; udp[5] = 0xDC;
        Assert.Equal(ForwardVerdict.ToSession, Send(First(Ipv4Header.ProtocolUdp, udp), table, worker).Verdict);
        Assert.Equal(ForwardVerdict.ToSession, Send(Rest(Ipv4Header.ProtocolUdp, offsetUnits: 5), table, worker).Verdict);
    }

    [Fact]
    public void The_rest_of_a_datagram_whose_first_fragment_was_denied_is_denied()
    {
        var table = Packets.Hub();
        var worker = Packets.Worker();
        var dns = new byte[16];
        dns[3] = 53;
        Assert.Equal(DropReason.PolicyDenied, Send(First(Ipv4Header.ProtocolUdp, dns), table, worker).Reason);
        Assert.Equal(DropReason.FragmentDenied, Send(Rest(Ipv4Header.ProtocolUdp), table, worker).Reason);
    }

    [Fact]
    public void A_non_first_fragment_without_its_first_is_denied_even_for_an_allowed_protocol()
    {
        var table = Packets.Hub();
        var worker = Packets.Worker();
        Assert.Equal(DropReason.FragmentDenied, Send(Rest(Ipv4Header.ProtocolEsp), table, worker).Reason);
        // Same id, other protocol: another datagram.
        Send(First(Ipv4Header.ProtocolEsp, EspHead()), table, worker);
        Assert.Equal(DropReason.FragmentDenied, Send(Rest(Ipv4Header.ProtocolUdp), table, worker).Reason);
        Assert.Equal(DropReason.FragmentDenied, Send(Rest(Ipv4Header.ProtocolEsp, id: 8), table, worker).Reason);
    }

    [Fact]
    public void Entries_expire_after_the_timeout_and_free_their_slot()
    {
        var table = Packets.Hub();
        var worker = Packets.Worker(capacity: 4, timeout: 100);
        Send(First(Ipv4Header.ProtocolEsp, EspHead()), table, worker, now: 1000);

        Assert.Equal(ForwardVerdict.ToSession, Send(Rest(Ipv4Header.ProtocolEsp), table, worker, now: 1099).Verdict);
        Assert.Equal(DropReason.FragmentDenied, Send(Rest(Ipv4Header.ProtocolEsp), table, worker, now: 1100).Reason);
        Assert.Equal(0, worker.Fragments.LiveCount(1100));
    }

    [Fact]
    public void The_table_is_bounded_and_a_first_fragment_that_finds_no_slot_is_dropped()
    {
        var table = Packets.Hub();
        var worker = Packets.Worker(capacity: 4, timeout: 100); // one set of four ways
        for (ushort id = 1; id <= 4; id++)
        {
            Assert.Equal(ForwardVerdict.ToSession, Send(First(Ipv4Header.ProtocolEsp, EspHead(), id), table, worker, now: 10).Verdict);
        }

        Assert.Equal(DropReason.FragmentTableFull, Send(First(Ipv4Header.ProtocolEsp, EspHead(), 5), table, worker, now: 10).Reason);
        Assert.Equal(4, worker.Fragments.LiveCount(10));
        Assert.Equal(ForwardVerdict.ToSession, Send(First(Ipv4Header.ProtocolEsp, EspHead(), 5), table, worker, now: 110).Verdict);
        Assert.Equal(1, worker.Fragments.LiveCount(110));
    }
}
