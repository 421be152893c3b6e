using System.Buffers.Binary;
using CsCheck;
using Relay.DataPlane.Forwarding;
using Relay.Wire.Ip;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.DataPlane.Tests.Forwarding;

/// <summary>Session → session: the L2TP header is rewritten for the target in place; the inner packet stays where it is.</summary>
public class RewriteTests
{
    private static readonly L2tpHeaderFlags[] Shapes =
    [
        L2tpHeaderFlags.None, L2tpHeaderFlags.Length, L2tpHeaderFlags.Sequence, L2tpHeaderFlags.Offset,
        L2tpHeaderFlags.Length | L2tpHeaderFlags.Sequence, L2tpHeaderFlags.Length | L2tpHeaderFlags.Offset,
        L2tpHeaderFlags.Sequence | L2tpHeaderFlags.Offset, L2tpHeaderFlags.Length | L2tpHeaderFlags.Sequence | L2tpHeaderFlags.Offset,
        L2tpHeaderFlags.Priority | L2tpHeaderFlags.Length,
    ];

    [Fact]
    public void Every_header_shape_is_rewritten_for_the_target_and_parses_with_its_ids_and_an_untouched_payload()
    {
        var gen = Gen.Select(
            Gen.Int[0, Shapes.Length - 1],
            Gen.UShort[0, 12],
            Gen.Bool,
            Gen.Int[0, 1400],
            Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[0, 3], Gen.UShort[1, ushort.MaxValue], Gen.Byte[2, 255]),
            Gen.Select(Gen.UShort[1, ushort.MaxValue], Gen.UShort[1, ushort.MaxValue], Gen.UShort));
        gen.Sample(t =>
        {
            var (shape, offsetSize, sequencingB, payloadBytes, (addressControl, compressProtocol, trailer, ns, ttl), (peerTunnel, peerSession, firstNs)) = t;
            var flags = Shapes[shape];
            var table = new ForwardingTable([Packets.Pool], workers: 1);
            table.Ready(Packets.KeyA, Packets.PeerA, 1, 2, dataSequencing: false, Packets.AddressA);
            table.Ready(Packets.KeyB, Packets.PeerB, peerTunnel, peerSession, sequencingB, Packets.AddressB, firstNs);
            table.Publish();
            var inner = Packets.Esp(payloadBytes, ttl: ttl);
            var buffer = Packets.L2tp(inner, Packets.KeyA, flags, (flags & L2tpHeaderFlags.Offset) != 0 ? offsetSize : (ushort)0, ns,
                addressControl: addressControl, compressProtocol: compressProtocol, trailer: trailer);

            var verdict = Packets.FromPeer(buffer, Packets.PeerA, table, Packets.Worker(), out var result);

            Assert.Equal(ForwardVerdict.ToSession, verdict);
            Assert.Equal(Packets.PeerB, result.Target!.Peer);
            var output = buffer.AsSpan(result.Start, result.Length);
            Assert.Equal(L2tpParseStatus.Ok, L2tpHeader.TryParse(output, out var header));
            Assert.False(header.IsControl);
            Assert.Equal(peerTunnel, header.TunnelId);
            Assert.Equal(peerSession, header.SessionId);
            Assert.Equal(sequencingB, header.HasSequence);
            Assert.Equal((flags & L2tpHeaderFlags.Length) != 0, header.HasLength);
            Assert.Equal((flags & L2tpHeaderFlags.Priority) != 0, header.IsPriority);
            Assert.False(header.HasOffset);
            if (sequencingB)
            {
                Assert.Equal(firstNs, header.Ns);
            }
            Assert.Equal(output.Length, header.MessageEnd);
            Assert.Equal(PppFrameStatus.Ok, PppFrame.Parse(output[header.PayloadStart..], out var ppp));
            Assert.Equal(PppProtocol.Ipv4, ppp.Protocol);
            Assert.Equal(Ipv4Status.Ok, Ipv4Header.Parse(ppp.Information, out var ip, verifyChecksum: true));
            Assert.Equal(ttl - 1, ip.Ttl);
            Assert.Equal(inner.Length, ppp.Information.Length);
            Assert.True(ip.Payload.SequenceEqual(inner.AsSpan(20)), "ESP payload changed");
            // Same place in the buffer: the header moved, the inner packet did not.
            Assert.Equal(buffer.Length - trailer - inner.Length, result.Start + result.Length - inner.Length);
        }, iter: 2000);
    }

    [Fact]
    public void A_sequenced_target_gets_consecutive_Ns_shared_with_the_control_loop()
    {
        var table = Packets.Hub(sequencingB: true);
        var worker = Packets.Worker();
        var ns = new List<ushort>();
        for (var i = 0; i < 3; i++)
        {
            if (i == 1)
            {
                ns.Add(table.Current.Find(Packets.KeyB.TunnelId, Packets.KeyB.SessionId)!.Traffic.TakeNs()); // an LCP echo
            }
            var buffer = Packets.L2tp(Packets.Esp(16), Packets.KeyA);
            Packets.FromPeer(buffer, Packets.PeerA, table, worker, out var result);
            L2tpHeader.TryParse(buffer.AsSpan(result.Start, result.Length), out var header);
            ns.Add(header.Ns);
        }
        Assert.Equal([0, 1, 2, 3], ns.Select(n => (int)n));
    }

    [Fact]
    public void A_growing_header_without_headroom_is_dropped_and_the_packet_left_alone()
    {
        var table = Packets.Hub(sequencingB: true);
        var buffer = Packets.L2tp(Packets.Esp(16), Packets.KeyA, headroom: 0);
        var before = buffer.ToArray();
        var worker = Packets.Worker();

        Assert.Equal(ForwardVerdict.Drop, Packets.FromPeer(buffer, Packets.PeerA, table, worker, out var result, headroom: 0));

        Assert.Equal(DropReason.NoHeadroom, result.Reason);
        Assert.Equal(before, buffer);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void A_packet_whose_TTL_would_reach_zero_is_dropped_unchanged(byte ttl)
    {
        // RFC 1812 §5.3.1: a router decrements TTL and discards the datagram when it reaches 0.
        var table = Packets.Hub();
        var buffer = Packets.L2tp(Packets.Esp(16, ttl: ttl), Packets.KeyA);
        var before = buffer.ToArray();
        var worker = Packets.Worker();

        Assert.Equal(ForwardVerdict.Drop, Packets.FromPeer(buffer, Packets.PeerA, table, worker, out var result));

        Assert.Equal(DropReason.TtlExpired, result.Reason);
        Assert.Equal(before, buffer);
        Assert.Equal(1, worker.Drops.Read(DropReason.TtlExpired));
        Assert.Equal(1, result.Source!.Traffic.DroppedPackets);
    }

    [Fact]
    public void The_checksum_update_matches_a_full_recomputation_at_every_TTL()
    {
        var table = Packets.Hub();
        var worker = Packets.Worker();
        for (var ttl = 2; ttl <= 255; ttl++)
        {
            var buffer = Packets.L2tp(Packets.Esp(8, ttl: (byte)ttl), Packets.KeyA);
            Packets.FromPeer(buffer, Packets.PeerA, table, worker, out var result);
            var ip = buffer.AsSpan(result.Start + 6 + 4, 20); // L2TP without L or S, then FF 03 00 21
            var stored = BinaryPrimitives.ReadUInt16BigEndian(ip[10..]);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], 0);
            Assert.Equal(InternetChecksum.Compute(ip), stored);
        }
    }
}
