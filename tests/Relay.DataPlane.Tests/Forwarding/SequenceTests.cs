using Relay.DataPlane.Forwarding;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.DataPlane.Tests.Forwarding;

/// <summary>Received Ns on sequenced data messages (RFC 2661 §3.1, §5.4), and data for sessions not yet published.</summary>
public class SequenceTests
{
    [Fact]
    public void Ns_in_order_passes_a_jump_is_counted_as_a_gap_and_an_older_ns_is_dropped_as_stale()
    {
        var table = Packets.Hub(sequencingA: true);
        var worker = Packets.Worker();
        ForwardVerdict Send(ushort ns) => Packets.FromPeer(Packets.L2tp(Packets.Esp(16), Packets.KeyA, L2tpHeaderFlags.Sequence, ns: ns),
            Packets.PeerA, table, worker, out _);
        var traffic = table.Current.Find(Packets.KeyA.TunnelId, Packets.KeyA.SessionId)!.Traffic;

        Assert.Equal(ForwardVerdict.ToSession, Send(0));
        Assert.Equal(ForwardVerdict.ToSession, Send(1));
        Assert.Equal(ForwardVerdict.ToSession, Send(5)); // 2..4 lost or late
        Assert.Equal(1, traffic.SequenceGaps);
        Assert.Equal(ForwardVerdict.Drop, Send(3)); // overtaken: older than expected
        Assert.Equal(ForwardVerdict.Drop, Send(5)); // duplicate
        Assert.Equal(2, worker.Drops.Read(DropReason.StaleSequence));
        Assert.Equal(ForwardVerdict.ToSession, Send(6));
        Assert.Equal(1, traffic.SequenceGaps);
    }

    [Fact]
    public void Ns_wraps_modulo_2_to_the_16()
    {
        var table = Packets.Hub(sequencingA: true);
        var worker = Packets.Worker();
        foreach (var ns in new ushort[] { 65534, 65535, 0, 1 })
        {
            Assert.Equal(ForwardVerdict.ToSession, Packets.FromPeer(Packets.L2tp(Packets.Esp(16), Packets.KeyA, L2tpHeaderFlags.Sequence, ns: ns),
                Packets.PeerA, table, worker, out _));
        }
        Assert.Equal(0, worker.Drops.Total);
        Assert.Equal(0, table.Current.Find(Packets.KeyA.TunnelId, Packets.KeyA.SessionId)!.Traffic.SequenceGaps);
    }

    [Fact]
    public void Ppp_control_frames_for_a_session_not_yet_published_go_to_the_control_loop_but_ip_does_not()
    {
        var table = Packets.Hub();
        var worker = Packets.Worker();
        var unpublished = new Control.Addressing.SessionKey(101, 777);
        var lcp = Packets.L2tp([1, 1, 0, 4], unpublished, protocol: PppProtocol.Lcp);

        Assert.Equal(ForwardVerdict.ToControl, Packets.FromPeer(lcp, Packets.PeerA, table, worker, out var result));
        Assert.Equal(lcp.Length - Packets.Headroom, result.Length);
        Assert.Equal(ForwardVerdict.Drop, Packets.FromPeer(Packets.L2tp(Packets.Esp(16), unpublished), Packets.PeerA, table, worker, out result));
        Assert.Equal(DropReason.UnknownSession, result.Reason);
    }
}
