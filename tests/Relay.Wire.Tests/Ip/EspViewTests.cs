using CsCheck;
using Relay.Wire.Ip;

namespace Relay.Wire.Tests.Ip;

public sealed class EspViewTests
{
    [Fact]
    public void Reads_spi_and_sequence_number()
    {
        // RFC 4303 §2: SPI, Sequence Number, then opaque payload.
        byte[] esp = [0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x2A, 0xEE];

        Assert.Equal(EspStatus.Ok, EspView.Parse(esp, out var v));

        Assert.Equal(0x12345678u, v.Spi);
        Assert.Equal(42u, v.SequenceNumber);
        Assert.Equal([0xEE], v.Payload.ToArray());
    }

    [Fact]
    public void Truncation_at_every_octet_is_reported()
    {
        byte[] esp = [0, 0, 1, 0, 0, 0, 0, 1];
        for (var i = 0; i < esp.Length; i++)
        {
            Assert.Equal(EspStatus.Truncated, EspView.Parse(esp.AsSpan(0, i), out _));
        }
        Assert.Equal(EspStatus.Ok, EspView.Parse(esp, out _));
    }

    [Theory]
    // RFC 4303 §2.1: SPI 0 is for local use only, 1–255 are reserved.
    [InlineData(0u, EspStatus.ZeroSpi)]
    [InlineData(1u, EspStatus.ReservedSpi)]
    [InlineData(255u, EspStatus.ReservedSpi)]
    [InlineData(256u, EspStatus.Ok)]
    [InlineData(0xFFFFFFFFu, EspStatus.Ok)]
    public void Judges_the_spi(uint spi, EspStatus expected)
    {
        byte[] esp = [(byte)(spi >> 24), (byte)(spi >> 16), (byte)(spi >> 8), (byte)spi, 0, 0, 0, 1];

        Assert.Equal(expected, EspView.Parse(esp, out _));
    }

    [Theory]
    // RFC 3948 §2.1–2.3.
    [InlineData(new byte[] { 0xFF }, UdpEncapsulationKind.NatKeepalive)]
    [InlineData(new byte[] { 0x00 }, UdpEncapsulationKind.Malformed)]
    [InlineData(new byte[0], UdpEncapsulationKind.Malformed)]
    [InlineData(new byte[] { 0xFF, 0xFF }, UdpEncapsulationKind.Malformed)]
    [InlineData(new byte[] { 0, 0, 0, 0 }, UdpEncapsulationKind.Malformed)]
    [InlineData(new byte[] { 0, 0, 1, 0, 0, 0, 0 }, UdpEncapsulationKind.Malformed)]
    [InlineData(new byte[] { 0, 0, 1, 0, 0, 0, 0, 1 }, UdpEncapsulationKind.Esp)]
    public void Classifies_udp_4500_payloads(byte[] payload, UdpEncapsulationKind expected)
        => Assert.Equal(expected, UdpEncapsulation.Classify(payload));

    [Fact]
    public void A_non_esp_marker_before_a_full_ike_header_is_ike()
    {
        // RFC 3948 §2.2 non-ESP marker; RFC 7296 §3.1: the IKE header is 28 octets.
        Assert.Equal(UdpEncapsulationKind.Ike, UdpEncapsulation.Classify(new byte[4 + 28]));
        Assert.Equal(UdpEncapsulationKind.Malformed, UdpEncapsulation.Classify(new byte[4 + 27]));
    }

    [Fact]
    public void Whatever_is_classified_as_esp_has_a_readable_non_zero_spi()
        => Gen.Byte.Array[0, 40].Sample(bytes =>
        {
            if (UdpEncapsulation.Classify(bytes) == UdpEncapsulationKind.Esp)
            {
                Assert.True(EspView.Parse(bytes, out _) is EspStatus.Ok or EspStatus.ReservedSpi);
            }
        });
}
