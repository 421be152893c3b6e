using System.Buffers.Binary;
using CsCheck;
using Relay.Wire.Ip;

namespace Relay.Wire.Tests.Ip;

public sealed class UdpHeaderTests
{
    [Fact]
    public void Every_datagram_written_parses_back_and_its_checksum_verifies()
        => Gen.Select(Gen.UShort, Gen.UShort, Gen.UInt, Gen.UInt, Gen.Byte.Array[0, 100]).Sample(t =>
        {
            var (sourcePort, destinationPort, source, destination, payload) = t;
            var datagram = new byte[8 + payload.Length];
            payload.CopyTo(datagram, 8);

            Assert.True(UdpHeader.Write(datagram, sourcePort, destinationPort, source, destination));
            Assert.Equal(UdpStatus.Ok, UdpHeader.Parse(datagram, out var u));

            Assert.Equal((sourcePort, destinationPort, datagram.Length), (u.SourcePort, u.DestinationPort, (int)u.Length));
            Assert.Equal(payload, u.Payload.ToArray());
            Assert.True(u.HasChecksum);
            Assert.Equal(UdpStatus.Ok, u.VerifyChecksum(source, destination));
            var pseudo = InternetChecksum.PseudoHeaderSum(source, destination, 17, (ushort)datagram.Length);
            var expected = ReferenceChecksum.Checksum(datagram, pseudo);
            Assert.True(expected == 0 || expected == 0xFFFF);
        });

    [Fact]
    public void A_computed_zero_checksum_is_sent_as_all_ones()
    {
        // RFC 768: zero means "no checksum", so a sum that complements to zero is sent as 0xFFFF.
        const uint source = 0xC0000201, destination = 0xC6336401;
        var datagram = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, 4500);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), 4500);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), 12);
        var partial = ReferenceChecksum.Sum(datagram, InternetChecksum.PseudoHeaderSum(source, destination, 17, 12));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(10), (ushort)~partial);

        Assert.True(UdpHeader.Write(datagram, 4500, 4500, source, destination));

        Assert.Equal(0xFFFF, BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(6)));
        Assert.Equal(UdpStatus.Ok, UdpHeader.Parse(datagram, out var u));
        Assert.Equal(UdpStatus.Ok, u.VerifyChecksum(source, destination));
    }

    [Fact]
    public void A_zero_checksum_means_none_and_verifies()
    {
        var datagram = new byte[10];

        Assert.True(UdpHeader.Write(datagram, 1, 2, 3, 4, computeChecksum: false));

        Assert.Equal(UdpStatus.Ok, UdpHeader.Parse(datagram, out var u));
        Assert.False(u.HasChecksum);
        Assert.Equal(UdpStatus.Ok, u.VerifyChecksum(99, 100));
    }

    [Fact]
    public void Reports_a_checksum_that_does_not_verify()
    {
        var datagram = new byte[16];
        UdpHeader.Write(datagram, 500, 500, 0x0A000001, 0x0A000002);

        Assert.Equal(UdpStatus.Ok, UdpHeader.Parse(datagram, out var u));

        Assert.Equal(UdpStatus.BadChecksum, u.VerifyChecksum(0x0A000001, 0x0A000003));
    }

    [Fact]
    public void Truncation_at_every_octet_is_reported()
    {
        var datagram = new byte[20];
        UdpHeader.Write(datagram, 1, 2, 3, 4);

        for (var i = 0; i < datagram.Length; i++)
        {
            Assert.Equal(i < 8 ? UdpStatus.Truncated : UdpStatus.LengthBeyondData, UdpHeader.Parse(datagram.AsSpan(0, i), out _));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Reports_a_length_below_the_header(ushort length)
    {
        var datagram = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), length);

        Assert.Equal(UdpStatus.LengthTooShort, UdpHeader.Parse(datagram, out _));
    }

    [Fact]
    public void Bounds_the_datagram_to_its_length_field()
    {
        var ipPayload = new byte[20];
        UdpHeader.Write(ipPayload.AsSpan(0, 12), 1, 2, 3, 4);

        Assert.Equal(UdpStatus.Ok, UdpHeader.Parse(ipPayload, out var u));

        Assert.Equal(4, u.Payload.Length);
        Assert.Equal(UdpStatus.Ok, u.VerifyChecksum(3, 4));
    }

    [Fact]
    public void Writer_refuses_a_span_shorter_than_the_header()
        => Assert.False(UdpHeader.Write(new byte[7], 1, 2, 3, 4));
}
