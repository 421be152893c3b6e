using System.Buffers.Binary;
using CsCheck;
using Relay.Wire.Ip;

namespace Relay.Wire.Tests.Ip;

public sealed class Ipv4HeaderTests
{
    /// <summary>Random option-less headers with a correct checksum.</summary>
    internal static readonly Gen<byte[]> Headers =
        Gen.Select(Gen.Byte, Gen.UShort, Gen.UShort, Gen.Byte, Gen.Byte, Gen.UInt, Gen.UInt).Select(t =>
        {
            var (tos, id, flags, ttl, protocol, source, destination) = t;
            var h = new byte[20];
            h[0] = 0x45;
            h[1] = tos;
            BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), 20);
            BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(4), id);
            BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(6), flags);
            h[8] = ttl;
            h[9] = protocol;
            BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(12), source);
            BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(16), destination);
            BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(10), ReferenceChecksum.Checksum(h));
            return h;
        });

    [Fact]
    public void Reads_every_field_of_a_written_header()
        => Gen.Select(Gen.Byte, Gen.UShort, Gen.Bool, Gen.Byte, Gen.Byte, Gen.UInt, Gen.UInt, Gen.Byte.Array[0, 40]).Sample(t =>
        {
            var (tos, id, df, ttl, protocol, source, destination, payload) = t;
            var packet = new byte[20 + payload.Length];
            payload.CopyTo(packet, 20);

            Assert.True(Ipv4Header.Write(packet, protocol, source, destination, (ushort)packet.Length, id, ttl, df, tos));
            Assert.Equal(0, ReferenceChecksum.Checksum(packet.AsSpan(0, 20)));
            Assert.Equal(Ipv4Status.Ok, Ipv4Header.Parse(packet, out var h));
            Assert.Equal((tos, id, df, ttl, protocol, source, destination), (h.TypeOfService, h.Identification, h.DontFragment, h.Ttl, h.Protocol, h.Source, h.Destination));
            Assert.Equal(payload, h.Payload.ToArray());
            Assert.False(h.HasOptions);
            Assert.False(h.IsFragment);
            Assert.Equal(packet.AsSpan(12, 4).ToArray(), h.SourceBytes.ToArray());
            Assert.Equal(packet.AsSpan(16, 4).ToArray(), h.DestinationBytes.ToArray());
        });

    [Fact]
    public void Writer_refuses_a_small_span_or_a_total_length_below_the_header()
    {
        Assert.False(Ipv4Header.Write(new byte[19], 17, 1, 2, 20));
        Assert.False(Ipv4Header.Write(new byte[20], 17, 1, 2, 19));
    }

    [Fact]
    public void Excludes_octets_after_total_length_from_the_payload()
    {
        var packet = new byte[30];
        Ipv4Header.Write(packet, 50, 1, 2, 24);

        Assert.Equal(Ipv4Status.Ok, Ipv4Header.Parse(packet, out var h));

        Assert.Equal(24, h.TotalLength);
        Assert.Equal(4, h.Payload.Length);
    }

    [Fact]
    public void Reads_options_when_ihl_is_above_five()
    {
        var packet = new byte[28];
        packet[0] = 0x46;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 28);
        packet[20] = 0x01; // NOP, RFC 791 §3.1
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), ReferenceChecksum.Checksum(packet.AsSpan(0, 24)));

        Assert.Equal(Ipv4Status.Ok, Ipv4Header.Parse(packet, out var h));

        Assert.True(h.HasOptions);
        Assert.Equal(24, h.HeaderLength);
        Assert.Equal([0x01, 0, 0, 0], h.Options.ToArray());
        Assert.Equal(4, h.Payload.Length);
    }

    [Theory]
    // RFC 791 §3.1: flags 0 DF MF, then a 13-bit offset in units of 8 octets.
    [InlineData(0x0000, false, false)]
    [InlineData(0x4000, false, false)]
    [InlineData(0x2000, true, true)]
    [InlineData(0x6000, true, true)]
    [InlineData(0x2001, true, false)]
    [InlineData(0x00B9, true, false)]
    public void Tells_fragments_and_first_fragments(ushort flagsAndOffset, bool fragment, bool first)
    {
        var packet = new byte[20];
        Ipv4Header.Write(packet, 17, 1, 2, 20);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), flagsAndOffset);

        Assert.Equal(Ipv4Status.Ok, Ipv4Header.Parse(packet, out var h, verifyChecksum: false));

        Assert.Equal(fragment, h.IsFragment);
        Assert.Equal(first, h.IsFirstFragment);
        Assert.Equal(flagsAndOffset & 0x1FFF, h.FragmentOffset);
        Assert.Equal((flagsAndOffset & 0x2000) != 0, h.MoreFragments);
        Assert.Equal((flagsAndOffset & 0x4000) != 0, h.DontFragment);
    }

    [Fact]
    public void Truncation_at_every_octet_is_reported()
    {
        var packet = new byte[36];
        Ipv4Header.Write(packet, 17, 1, 2, 36);

        for (var i = 0; i < packet.Length; i++)
        {
            var expected = i < 20 ? Ipv4Status.Truncated : Ipv4Status.TotalLengthBeyondData;
            Assert.Equal(expected, Ipv4Header.Parse(packet.AsSpan(0, i), out _));
        }
    }

    [Theory]
    [InlineData(0x65, 20, Ipv4Status.BadVersion)]
    [InlineData(0x05, 20, Ipv4Status.BadVersion)]
    [InlineData(0x44, 20, Ipv4Status.BadHeaderLength)]
    [InlineData(0x40, 20, Ipv4Status.BadHeaderLength)]
    [InlineData(0x46, 24, Ipv4Status.HeaderBeyondData)]
    [InlineData(0x45, 19, Ipv4Status.TotalLengthTooShort)]
    [InlineData(0x45, 0, Ipv4Status.TotalLengthTooShort)]
    [InlineData(0x45, 21, Ipv4Status.TotalLengthBeyondData)]
    public void Reports_why_a_header_is_unusable(byte versionAndIhl, ushort totalLength, Ipv4Status expected)
    {
        var packet = new byte[20];
        packet[0] = versionAndIhl;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), totalLength);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), ReferenceChecksum.Checksum(packet));

        Assert.Equal(expected, Ipv4Header.Parse(packet, out _));
    }

    [Fact]
    public void Reports_a_checksum_that_does_not_verify_unless_asked_not_to_check()
        => Gen.Select(Headers, Gen.Int[0, 159]).Sample(t =>
        {
            var (header, bit) = t;
            header[bit / 8] ^= (byte)(1 << (bit % 8));
            if (bit / 8 is 0 or 2 or 3)
            {
                return; // Version, IHL and Total Length are judged before the checksum.
            }

            Assert.Equal(Ipv4Status.BadChecksum, Ipv4Header.Parse(header, out _));
            Assert.Equal(Ipv4Status.Ok, Ipv4Header.Parse(header, out _, verifyChecksum: false));
        });

    [Fact]
    public void Decrementing_ttl_keeps_the_checksum_equal_to_a_full_recomputation()
        => Gen.Select(Headers, Gen.Byte[2, 255]).Sample(t =>
        {
            // RFC 1624 eqn. 3 over the TTL/Protocol word.
            var (header, ttl) = t;
            header[8] = ttl;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), 0);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), ReferenceChecksum.Checksum(header));

            Assert.Equal(Ipv4TtlStatus.Ok, Ipv4Header.DecrementTtl(header));

            Assert.Equal(ttl - 1, header[8]);
            var checksum = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(10));
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), 0);
            Assert.Equal(ReferenceChecksum.Checksum(header), checksum);
        });

    [Theory]
    // RFC 1812 §5.3.1: a datagram whose TTL would reach zero is discarded, not forwarded.
    [InlineData(1)]
    [InlineData(0)]
    public void Reports_an_expiring_ttl_and_leaves_the_header_alone(byte ttl)
    {
        var header = new byte[20];
        Ipv4Header.Write(header, 50, 1, 2, 20, ttl: ttl);
        var before = header.ToArray();

        Assert.Equal(Ipv4TtlStatus.Expired, Ipv4Header.DecrementTtl(header));
        Assert.Equal(before, header);
    }

    [Fact]
    public void Decrementing_the_ttl_of_a_short_span_reports_truncation()
        => Assert.Equal(Ipv4TtlStatus.Truncated, Ipv4Header.DecrementTtl(new byte[19]));

    [Fact]
    public void Never_throws_on_random_octets()
        => Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            if (bytes.Length > 0)
            {
                bytes[0] = (byte)(0x40 | (bytes[0] & 0x0F));
            }
            if (Ipv4Header.Parse(bytes, out var h, verifyChecksum: false) == Ipv4Status.Ok)
            {
                Assert.True(h.HeaderLength + h.Payload.Length == h.TotalLength);
            }
        });
}
