using System.Buffers.Binary;
using Relay.Client.Tunnel;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.Client.Tests.Tunnel;

/// <summary>The per-packet framing: RFC 2661 §3.1 data header + PPP (RFC 1662 §3.1) around IPv4, both ways, in place.</summary>
public class DataFramingTests
{
    private static byte[] Ipv4Packet(int length)
    {
        var packet = new byte[length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)length);
        packet[9] = 17;
        for (var i = 20; i < length; i++)
        {
            packet[i] = (byte)i;
        }
        return packet;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_encapsulated_packet_parses_as_an_l2tp_data_message_carrying_ppp_ipv4(bool sequenced)
    {
        var packet = Ipv4Packet(1400);
        var buffer = new byte[DataFraming.Headroom + packet.Length];
        packet.CopyTo(buffer, DataFraming.Headroom);

        var start = DataFraming.Encapsulate(buffer, 0x1234, 0x5678, sequenced ? (ushort)9 : null);
        var datagram = buffer.AsSpan(start);

        Assert.Equal(L2tpParseStatus.Ok, L2tpHeader.TryParse(datagram, out var header));
        Assert.False(header.IsControl);
        Assert.Equal((0x1234, 0x5678), (header.TunnelId, header.SessionId));
        Assert.Equal(sequenced, header.HasSequence);
        Assert.Equal(sequenced ? 9 : 0, header.Ns);
        Assert.Equal(PppFrameStatus.Ok, PppFrame.Parse(datagram.Slice(header.PayloadStart, header.PayloadLength), out var frame));
        Assert.Equal(PppProtocol.Ipv4, frame.Protocol);
        Assert.True(frame.HasAddressControl);
        Assert.True(frame.Information.SequenceEqual(packet));
    }

    [Fact]
    public void An_ipv4_frame_for_our_session_is_found_in_place()
    {
        var packet = Ipv4Packet(60);
        var buffer = new byte[DataFraming.Headroom + packet.Length];
        packet.CopyTo(buffer, DataFraming.Headroom);
        var start = DataFraming.Encapsulate(buffer, 7, 8, null);

        var verdict = DataFraming.Classify(buffer.AsSpan(start), 7, 8, out var ipStart, out var ipLength);

        Assert.Equal(DataVerdict.Ip, verdict);
        Assert.True(buffer.AsSpan(start).Slice(ipStart, ipLength).SequenceEqual(packet));
    }

    [Fact]
    public void Frames_for_another_session_are_dropped_and_non_ip_frames_go_to_ppp()
    {
        var buffer = new byte[DataFraming.Headroom + 60];
        Ipv4Packet(60).CopyTo(buffer, DataFraming.Headroom);
        var start = DataFraming.Encapsulate(buffer, 7, 8, null);
        Assert.Equal(DataVerdict.DroppedOtherSession, DataFraming.Classify(buffer.AsSpan(start), 7, 9, out _, out _));
        Assert.Equal(DataVerdict.DroppedOtherSession, DataFraming.Classify(buffer.AsSpan(start), 6, 8, out _, out _));

        // LCP Echo-Request (C0 21): PPP's business, not TUN's.
        byte[] lcp = [0x00, 0x02, 0, 7, 0, 8, 0xFF, 0x03, 0xC0, 0x21, 9, 1, 0, 8, 0, 0, 0, 0];
        Assert.Equal(DataVerdict.PppControl, DataFraming.Classify(lcp, 7, 8, out _, out _));
        // Before the session is ready every data message goes to PPP.
        Assert.Equal(DataVerdict.PppControl, DataFraming.Classify(buffer.AsSpan(start), 0, 0, out _, out _));
    }

    [Fact]
    public void Control_messages_truncated_headers_and_non_ipv4_payloads_are_told_apart()
    {
        byte[] control = [0xC8, 0x02, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] truncated = [0x00];
        byte[] ipv6 = [0x00, 0x02, 0, 7, 0, 8, 0xFF, 0x03, 0x00, 0x21, 0x60, .. new byte[39]];
        byte[] badPpp = [0x00, 0x02, 0, 7, 0, 8, 0xFF, 0x05, 0x00, 0x21];

        Assert.Equal(DataVerdict.L2tpControl, DataFraming.Classify(control, 7, 8, out _, out _));
        Assert.Equal(DataVerdict.DroppedMalformed, DataFraming.Classify(truncated, 7, 8, out _, out _));
        Assert.Equal(DataVerdict.DroppedNotIpv4, DataFraming.Classify(ipv6, 7, 8, out _, out _));
        Assert.Equal(DataVerdict.DroppedMalformed, DataFraming.Classify(badPpp, 7, 8, out _, out _));
    }

    [Fact]
    public void Framing_both_ways_allocates_nothing()
    {
        var buffer = new byte[DataFraming.Headroom + 1400];
        Ipv4Packet(1400).CopyTo(buffer, DataFraming.Headroom);
        var total = 0;
        for (var i = 0; i < 100; i++)
        {
            total += DataFraming.Classify(buffer.AsSpan(DataFraming.Encapsulate(buffer, 7, 8, (ushort)i)), 7, 8, out _, out var n) == DataVerdict.Ip ? n : 0;
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            var start = DataFraming.Encapsulate(buffer, 7, 8, (i & 1) == 0 ? null : (ushort)i);
            total += DataFraming.Classify(buffer.AsSpan(start), 7, 8, out _, out var n) == DataVerdict.Ip ? n : 0;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(10_100 * 1400, total);
    }
}
