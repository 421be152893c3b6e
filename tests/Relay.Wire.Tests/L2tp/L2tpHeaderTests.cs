using CsCheck;
using Relay.Wire.L2tp;

namespace Relay.Wire.Tests.L2tp;

public sealed class L2tpHeaderTests
{
    private static readonly Gen<L2tpHeaderFlags> DataFlags = Gen.Int[0, 15].Select(bits =>
        ((bits & 1) != 0 ? L2tpHeaderFlags.Length : 0)
        | ((bits & 2) != 0 ? L2tpHeaderFlags.Sequence : 0)
        | ((bits & 4) != 0 ? L2tpHeaderFlags.Offset : 0)
        | ((bits & 8) != 0 ? L2tpHeaderFlags.Priority : 0));

    // Data headers of every shape plus the one control shape, with random fields.
    private static readonly Gen<L2tpHeader> Headers = Gen.Select(
        Gen.Frequency((4, DataFlags), (1, Gen.Const(L2tpHeaderFlags.ControlMessage))),
        Gen.UShort, Gen.UShort, Gen.UShort, Gen.UShort, Gen.UShort[0, 40],
        (flags, tunnel, session, ns, nr, offset) => new L2tpHeader
        {
            Flags = flags,
            TunnelId = tunnel,
            SessionId = session,
            Ns = ns,
            Nr = nr,
            OffsetSize = (flags & L2tpHeaderFlags.Offset) != 0 ? offset : (ushort)0,
        });

    [Fact]
    public void Every_header_shape_round_trips_with_its_payload()
    {
        Gen.Select(Headers, Gen.Byte.Array[0, 80], Gen.Byte.Array[0, 8]).Sample((header, payload, trailer) =>
        {
            var buffer = new byte[200];
            Assert.True(header.TryWrite(buffer, payload.Length, out var headerLength));
            payload.CopyTo(buffer, headerLength);
            // §3.1: with a Length field, octets after the message are not part of it.
            var datagramLength = headerLength + payload.Length + (header.HasLength ? trailer.Length : 0);
            trailer.AsSpan(0, datagramLength - headerLength - payload.Length).CopyTo(buffer.AsSpan(headerLength + payload.Length));

            Assert.Equal(L2tpParseStatus.Ok, L2tpHeader.TryParse(buffer.AsSpan(0, datagramLength), out var parsed));
            Assert.Equal(header.Flags, parsed.Flags);
            Assert.Equal(header.TunnelId, parsed.TunnelId);
            Assert.Equal(header.SessionId, parsed.SessionId);
            Assert.Equal(header.HasSequence ? header.Ns : 0, parsed.Ns);
            Assert.Equal(header.HasSequence ? header.Nr : 0, parsed.Nr);
            Assert.Equal(header.OffsetSize, parsed.OffsetSize);
            Assert.Equal(header.HasLength ? headerLength + payload.Length : 0, parsed.Length);
            Assert.Equal(headerLength, parsed.PayloadStart);
            Assert.Equal(headerLength + payload.Length, parsed.MessageEnd);
            Assert.Equal(payload, buffer[parsed.PayloadStart..parsed.MessageEnd]);
        });
    }

    [Theory]
    [InlineData(L2tpHeaderFlags.None, 6)]
    [InlineData(L2tpHeaderFlags.Length, 8)]
    [InlineData(L2tpHeaderFlags.Sequence, 10)]
    [InlineData(L2tpHeaderFlags.Offset, 8)]
    [InlineData(L2tpHeaderFlags.Length | L2tpHeaderFlags.Sequence | L2tpHeaderFlags.Offset, 14)]
    [InlineData(L2tpHeaderFlags.ControlMessage, 12)]
    public void Header_length_follows_the_flags(L2tpHeaderFlags flags, int expected)
    {
        var buffer = new byte[32];
        Assert.True(new L2tpHeader { Flags = flags }.TryWrite(buffer, 0, out var length));
        Assert.Equal(expected, length);
    }

    [Fact]
    public void Writes_the_exact_bytes_of_a_control_header()
    {
        var buffer = new byte[12];
        Assert.True(L2tpHeader.Control(0x1234, 0x5678, 0x0102, 0x0304).TryWrite(buffer, 8, out _));
        // §3.1: T=1 L=1 S=1, Ver=2, Length 20, then tunnel, session, Ns, Nr.
        Assert.Equal(new byte[] { 0xc8, 0x02, 0x00, 0x14, 0x12, 0x34, 0x56, 0x78, 0x01, 0x02, 0x03, 0x04 }, buffer);
    }

    [Fact]
    public void Writer_zeroes_the_offset_padding()
    {
        var buffer = Enumerable.Repeat((byte)0xaa, 16).ToArray();
        Assert.True(new L2tpHeader { Flags = L2tpHeaderFlags.Offset, OffsetSize = 4 }.TryWrite(buffer, 0, out var length));
        Assert.Equal(12, length);
        Assert.Equal(new byte[] { 0x02, 0x02, 0, 0, 0, 0, 0x00, 0x04, 0, 0, 0, 0 }, buffer[..12]);
    }

    [Fact]
    public void Writer_refuses_a_buffer_one_octet_short()
    {
        var header = new L2tpHeader { Flags = L2tpHeaderFlags.Length | L2tpHeaderFlags.Sequence | L2tpHeaderFlags.Offset, OffsetSize = 3 };
        Assert.False(header.TryWrite(new byte[16], 0, out var length));
        Assert.Equal(0, length);
        Assert.True(header.TryWrite(new byte[17], 0, out length));
        Assert.Equal(17, length);
    }

    [Fact]
    public void Writer_refuses_a_length_beyond_65535()
    {
        var header = new L2tpHeader { Flags = L2tpHeaderFlags.Length };
        Assert.False(header.TryWrite(new byte[8], ushort.MaxValue - 7, out _));
        Assert.True(header.TryWrite(new byte[8], ushort.MaxValue - 8, out _));
    }

    [Theory]
    [InlineData(L2tpHeaderFlags.Control | L2tpHeaderFlags.Sequence)]
    [InlineData(L2tpHeaderFlags.Control | L2tpHeaderFlags.Length)]
    [InlineData(L2tpHeaderFlags.ControlMessage | L2tpHeaderFlags.Offset)]
    [InlineData(L2tpHeaderFlags.ControlMessage | L2tpHeaderFlags.Priority)]
    public void Writer_refuses_a_control_header_that_breaks_section_3_1(L2tpHeaderFlags flags)
    {
        Assert.False(new L2tpHeader { Flags = flags }.TryWrite(new byte[32], 0, out _));
    }

    [Fact]
    public void Reserved_bits_are_ignored_on_receipt_and_never_written()
    {
        // §3.1: reserved bits MUST be 0 on outgoing messages and ignored on incoming ones.
        byte[] datagram = [0x34, 0xf2, 0x00, 0x01, 0x00, 0x02, 0xaa];
        Assert.Equal(L2tpParseStatus.Ok, L2tpHeader.TryParse(datagram, out var header));
        Assert.Equal(L2tpHeaderFlags.None, header.Flags);
        Assert.Equal(1, header.TunnelId);
        Assert.Equal(2, header.SessionId);
        var rewritten = new byte[6];
        Assert.True(header.TryWrite(rewritten, 1, out _));
        Assert.Equal(new byte[] { 0x00, 0x02, 0x00, 0x01, 0x00, 0x02 }, rewritten);
    }

    [Fact]
    public void Rejects_version_1_as_l2f()
    {
        // §8.1: Ver 1 is L2F on the same port.
        Assert.Equal(L2tpParseStatus.L2fVersion, L2tpHeader.TryParse([0xc8, 0x01, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0], out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(15)]
    public void Rejects_other_versions_with_unsupported_version(int version)
    {
        // §3.1: packets with an unknown Ver MUST be discarded.
        Assert.Equal(L2tpParseStatus.UnsupportedVersion, L2tpHeader.TryParse([0x00, (byte)version, 0, 1, 0, 2], out _));
    }

    [Fact]
    public void Rejects_control_without_length_bit()
    {
        Assert.Equal(L2tpParseStatus.ControlWithoutLength, L2tpHeader.TryParse([0x88, 0x02, 0, 1, 0, 0, 0, 0, 0, 0], out _));
    }

    [Fact]
    public void Rejects_control_without_sequence_bit()
    {
        Assert.Equal(L2tpParseStatus.ControlWithoutSequence, L2tpHeader.TryParse([0xc0, 0x02, 0, 8, 0, 1, 0, 0], out _));
    }

    [Fact]
    public void Rejects_control_with_offset_bit()
    {
        Assert.Equal(L2tpParseStatus.ControlWithOffset, L2tpHeader.TryParse([0xca, 0x02, 0, 14, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], out _));
    }

    [Fact]
    public void Rejects_control_with_priority_bit()
    {
        Assert.Equal(L2tpParseStatus.ControlWithPriority, L2tpHeader.TryParse([0xc9, 0x02, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0], out _));
    }

    [Fact]
    public void Rejects_a_length_larger_than_the_datagram()
    {
        Assert.Equal(L2tpParseStatus.LengthExceedsDatagram, L2tpHeader.TryParse([0xc8, 0x02, 0, 13, 0, 1, 0, 0, 0, 0, 0, 0], out _));
    }

    [Fact]
    public void Rejects_a_length_smaller_than_the_header()
    {
        Assert.Equal(L2tpParseStatus.BadLength, L2tpHeader.TryParse([0xc8, 0x02, 0, 11, 0, 1, 0, 0, 0, 0, 0, 0], out _));
        Assert.Equal(L2tpParseStatus.BadLength, L2tpHeader.TryParse([0x40, 0x02, 0, 7, 0, 1, 0, 0], out _));
    }

    [Fact]
    public void A_length_smaller_than_the_datagram_ignores_the_trailing_octets()
    {
        // §3.1: Length is the message's length; anything after it in the datagram is not L2TP.
        Assert.Equal(L2tpParseStatus.Ok, L2tpHeader.TryParse([0x40, 0x02, 0, 9, 0, 1, 0, 2, 0xee, 0xff, 0xff], out var header));
        Assert.Equal(9, header.MessageEnd);
        Assert.Equal(1, header.PayloadLength);
    }

    [Fact]
    public void Rejects_an_offset_size_past_the_length_field()
    {
        Assert.Equal(L2tpParseStatus.BadOffsetSize, L2tpHeader.TryParse([0x42, 0x02, 0, 11, 0, 1, 0, 2, 0, 2, 0, 0xff], out _));
    }

    [Fact]
    public void Rejects_an_offset_size_past_the_datagram_as_truncated()
    {
        Assert.Equal(L2tpParseStatus.Truncated, L2tpHeader.TryParse([0x02, 0x02, 0, 1, 0, 2, 0, 3, 0, 0], out _));
    }

    [Fact]
    public void Accepts_an_offset_that_ends_exactly_at_the_message_end()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpHeader.TryParse([0x02, 0x02, 0, 1, 0, 2, 0, 2, 0, 0], out var header));
        Assert.Equal(10, header.PayloadStart);
        Assert.Equal(0, header.PayloadLength);
    }

    [Fact]
    public void Truncation_at_every_octet_of_every_shape_is_reported_without_throwing()
    {
        Gen.Select(Headers, Gen.Byte.Array[0, 10]).Sample((header, payload) =>
        {
            var buffer = new byte[100];
            Assert.True(header.TryWrite(buffer, payload.Length, out var headerLength));
            payload.CopyTo(buffer, headerLength);
            var total = headerLength + payload.Length;
            var fixedLength = headerLength - header.OffsetSize;
            for (var cut = 0; cut < total; cut++)
            {
                var status = L2tpHeader.TryParse(buffer.AsSpan(0, cut), out _);
                if (cut < fixedLength || !header.HasLength && cut < headerLength)
                {
                    Assert.Equal(L2tpParseStatus.Truncated, status);
                }
                else if (header.HasLength)
                {
                    Assert.Equal(L2tpParseStatus.LengthExceedsDatagram, status);
                }
                else
                {
                    // Without a Length field a shorter datagram is a shorter payload.
                    Assert.Equal(L2tpParseStatus.Ok, status);
                }
            }
        });
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Gen.Byte.Array[0, 40].Sample(bytes =>
        {
            var status = L2tpHeader.TryParse(bytes, out var header);
            if (status == L2tpParseStatus.Ok)
            {
                Assert.InRange(header.PayloadStart, 6, header.MessageEnd);
                Assert.InRange(header.MessageEnd, 0, bytes.Length);
            }
        }, iter: 20_000);
    }
}
