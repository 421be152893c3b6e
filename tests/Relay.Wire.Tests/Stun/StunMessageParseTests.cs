using System.Buffers.Binary;
using Relay.Wire.Stun;

namespace Relay.Wire.Tests.Stun;

public class StunMessageParseTests
{
    private static readonly byte[] Id12 = Convert.FromHexString("0102030405060708090a0b0c");
    private static readonly byte[] Id16 = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");

    [Fact]
    public void Rfc3489_request_without_cookie_has_a_128_bit_transaction_id() // RFC 5389 §12
    {
        var request = StunTestMessages.Request(Id16, rfc3489: true, attributes: ((ushort)StunAttributeType.ChangeRequest, new byte[4]));
        Assert.Equal(StunParseStatus.Ok, StunMessage.Parse(request, out var message));
        Assert.True(message.IsRfc3489);
        Assert.True(message.IsBindingRequest);
        Assert.Equal(Id16, message.TransactionId.ToArray());
    }

    [Fact]
    public void Messages_from_the_real_stun_client_parse() // captured from Debian stun-client 0.97, test 1
    {
        var captured = Convert.FromHexString("00010008015a390e1974e3661b54d932c129d7300003000400000000");
        Assert.Equal(StunParseStatus.Ok, StunMessage.Parse(captured, out var message));
        Assert.True(message.IsRfc3489);
        Assert.True(message.TryGetAttribute(StunAttributeType.ChangeRequest, out var change));
        Assert.Equal(new byte[4], change.ToArray());
    }

    public static TheoryData<string, byte[], StunParseStatus> Malformed()
    {
        var ok = StunTestMessages.Request(Id12, attributes: ((ushort)StunAttributeType.Software, "x"u8.ToArray()));
        byte[] With(Action<byte[]> change)
        {
            var copy = (byte[])ok.Clone();
            change(copy);
            return copy;
        }
        var fingerprinted = StunTestMessages.Request(Id12, fingerprint: true, attributes: ((ushort)StunAttributeType.Software, "x"u8.ToArray()));
        return new TheoryData<string, byte[], StunParseStatus>
        {
            { "empty", [], StunParseStatus.TooShort },
            { "19 bytes", ok[..19], StunParseStatus.TooShort },
            { "top bit set", With(m => m[0] |= 0x80), StunParseStatus.TopBitsNotZero },
            { "second bit set", With(m => m[0] |= 0x40), StunParseStatus.TopBitsNotZero },
            { "length not multiple of 4", With(m => m[3] = 9), StunParseStatus.LengthNotMultipleOfFour },
            { "length longer than datagram", With(m => m[3] = 12), StunParseStatus.LengthMismatch },
            { "trailing bytes", [.. ok, 0, 0, 0, 0], StunParseStatus.LengthMismatch },
            { "attribute length past end", With(m => m[23] = 9), StunParseStatus.AttributeTruncated },
            { "second attribute length 0xFFFF", StunTestMessagesRaw(ok, extra: [0x80, 0x23, 0xFF, 0xFF]), StunParseStatus.AttributeTruncated },
            { "fingerprint flipped", With2(fingerprinted, m => m[^1] ^= 1), StunParseStatus.FingerprintMismatch },
            { "fingerprint not last", StunTestMessages.Request(Id12, attributes: [((ushort)StunAttributeType.Fingerprint, new byte[4]), ((ushort)StunAttributeType.Software, "x"u8.ToArray())]), StunParseStatus.FingerprintNotLast },
            { "fingerprint 8 bytes", StunTestMessages.Request(Id12, attributes: ((ushort)StunAttributeType.Fingerprint, new byte[8])), StunParseStatus.FingerprintBadLength },
        };
    }

    private static byte[] With2(byte[] source, Action<byte[]> change)
    {
        var copy = (byte[])source.Clone();
        change(copy);
        return copy;
    }

    /// <summary>Appends raw bytes padded to 4 and fixes the header length, so only the attribute area is wrong.</summary>
    private static byte[] StunTestMessagesRaw(byte[] message, byte[] extra)
    {
        var padded = new byte[(extra.Length + 3) & ~3];
        extra.CopyTo(padded, 0);
        byte[] result = [.. message, .. padded];
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2), (ushort)(result.Length - 20));
        return result;
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_input_is_reported_not_thrown(string what, byte[] datagram, StunParseStatus expected)
    {
        Assert.True(expected != StunParseStatus.Ok, what);
        Assert.Equal(expected, StunMessage.Parse(datagram, out var message));
        Assert.Equal(expected.HeaderIsValid(), message.Bytes.Length >= 20);
    }

    [Theory]
    [InlineData(0x0001, 0x001, StunMessageClass.Request)]
    [InlineData(0x0011, 0x001, StunMessageClass.Indication)]
    [InlineData(0x0101, 0x001, StunMessageClass.SuccessResponse)]
    [InlineData(0x0111, 0x001, StunMessageClass.ErrorResponse)]
    [InlineData(0x3EEF, 0xFFF, StunMessageClass.Request)]
    public void Message_type_interleaves_method_and_class(ushort type, ushort method, StunMessageClass messageClass) // §6 figure 3
    {
        Assert.Equal(method, StunMessageType.MethodOf(type));
        Assert.Equal(messageClass, StunMessageType.ClassOf(type));
        Assert.Equal(type, StunMessageType.Compose(method, messageClass));
    }

    [Fact]
    public void Unknown_attributes_are_listed_once_and_optional_ones_ignored() // §7.3.1
    {
        var request = StunTestMessages.Request(Id12, attributes:
        [
            (0x7F01, new byte[1]), (0x8123, new byte[2]), (0x7F01, new byte[3]), ((ushort)StunAttributeType.ChangeRequest, new byte[4]), (0x0002, new byte[8]),
        ]);
        StunMessage.Parse(request, out var message);
        Span<ushort> unknown = stackalloc ushort[4];
        var count = message.CollectUnknownComprehensionRequired([(ushort)StunAttributeType.ChangeRequest], unknown);
        Assert.Equal([0x7F01, 0x0002], unknown[..count].ToArray());
    }
}
