using System.Net;
using Relay.Wire.Stun;

namespace Relay.Wire.Tests.Stun;

/// <summary>RFC 5769 test vectors (§2.1–§2.3). MESSAGE-INTEGRITY is not checked: relayd does not authenticate.</summary>
public class Rfc5769VectorTests
{
    internal static readonly byte[] SampleRequest = Convert.FromHexString(
        "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74" +
        "002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020" +
        "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");

    private static readonly byte[] SampleIpv4Response = Convert.FromHexString(
        "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643" +
        "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96");

    private static readonly byte[] SampleIpv6Response = Convert.FromHexString(
        "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9" +
        "00080014a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c");

    [Fact]
    public void Sample_request_parses_with_a_valid_fingerprint()
    {
        Assert.Equal(StunParseStatus.Ok, StunMessage.Parse(SampleRequest, out var message));
        Assert.True(message.IsBindingRequest);
        Assert.False(message.IsRfc3489);
        Assert.True(message.HasFingerprint);
        Assert.Equal(Convert.FromHexString("b7e7a701bc34d686fa87dfae"), message.TransactionId.ToArray());
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", System.Text.Encoding.UTF8.GetString(software));
        var types = new List<ushort>();
        foreach (var attribute in message.Attributes)
        {
            types.Add(attribute.Type);
        }
        Assert.Equal([0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028], types);
    }

    [Fact]
    public void Sample_request_lists_its_unknown_comprehension_required_attributes()
    {
        StunMessage.Parse(SampleRequest, out var message);
        Span<ushort> unknown = stackalloc ushort[8];
        var count = message.CollectUnknownComprehensionRequired([(ushort)StunAttributeType.Username], unknown);
        Assert.Equal([0x0024, 0x0008], unknown[..count].ToArray());
    }

    [Theory]
    [InlineData(false, "192.0.2.1")]
    [InlineData(true, "2001:db8:1234:5678:11:2233:4455:6677")]
    public void Sample_responses_decode_the_xor_mapped_address(bool ipv6, string expected)
    {
        Assert.Equal(StunParseStatus.Ok, StunMessage.Parse(ipv6 ? SampleIpv6Response : SampleIpv4Response, out var message));
        Assert.Equal(StunMessageClass.SuccessResponse, message.Class);
        Span<byte> address = stackalloc byte[16];
        Assert.True(message.TryGetAddress(StunAttributeType.XorMappedAddress, address, out var length, out var port));
        Assert.Equal(IPAddress.Parse(expected), new IPAddress(address[..length]));
        Assert.Equal(32853, port);
    }

    [Fact]
    public void A_flipped_bit_breaks_the_fingerprint()
    {
        var copy = (byte[])SampleRequest.Clone();
        copy[30] ^= 0x01;
        Assert.Equal(StunParseStatus.FingerprintMismatch, StunMessage.Parse(copy, out _));
    }

    [Fact]
    public void Crc32_matches_the_check_value() // CRC-32/ISO-HDLC check value for "123456789"
        => Assert.Equal(0xCBF43926u, StunFingerprint.Crc32("123456789"u8));
}
