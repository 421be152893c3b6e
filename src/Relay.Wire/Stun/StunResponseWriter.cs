using System.Buffers.Binary;

namespace Relay.Wire.Stun;

/// <summary>
/// Writes Binding responses into a caller's buffer, allocating nothing and throwing nothing.
/// Responses to RFC 5389 requests carry XOR-MAPPED-ADDRESS, MAPPED-ADDRESS, SOFTWARE (if given) and
/// FINGERPRINT. Responses to RFC 3489 requests echo the 128-bit transaction id and carry MAPPED-ADDRESS
/// and SOFTWARE only, because RFC 3489 clients reject the unknown comprehension-required
/// XOR-MAPPED-ADDRESS (RFC 5389 §12.2).
/// </summary>
public static class StunResponseWriter
{
    /// <summary>Longest reason phrase or SOFTWARE value in bytes (RFC 5389 §15.6, §15.10).</summary>
    public const int MaxTextBytes = 763;

    /// <summary>Largest success response: header, two IPv6 address attributes, longest SOFTWARE, FINGERPRINT.</summary>
    public const int MaxSuccessLength = StunMessage.HeaderLength + 2 * 24 + 4 + 764 + 8;

    /// <summary>
    /// Binding success response (RFC 5389 §7.3.1, §10.1 of RFC 3489) reporting <paramref name="address"/>
    /// (4 or 16 bytes) and <paramref name="port"/>, the source transport address the server saw.
    /// </summary>
    public static StunWriteStatus WriteBindingSuccess(Span<byte> destination, StunMessage request,
        ReadOnlySpan<byte> address, ushort port, ReadOnlySpan<byte> software, out int written)
    {
        written = 0;
        if (request.Bytes.Length < StunMessage.HeaderLength)
        {
            return StunWriteStatus.InvalidRequest;
        }
        if (address.Length is not (4 or 16))
        {
            return StunWriteStatus.InvalidAddressLength;
        }
        if (software.Length > MaxTextBytes)
        {
            return StunWriteStatus.TextTooLong;
        }
        var addressValue = 4 + address.Length;
        var size = StunMessage.HeaderLength + 4 + addressValue + Padded(software.Length, software.Length > 0)
            + (request.IsRfc3489 ? 0 : 4 + addressValue + 8);
        if (destination.Length < size)
        {
            return StunWriteStatus.DestinationTooSmall;
        }
        var offset = WriteHeader(destination, request, StunMessageClass.SuccessResponse);
        if (!request.IsRfc3489)
        {
            offset = WriteAddress(destination, offset, StunAttributeType.XorMappedAddress, address, port, request.CookieAndTransactionId);
        }
        offset = WriteAddress(destination, offset, StunAttributeType.MappedAddress, address, port, default);
        if (software.Length > 0)
        {
            offset = WriteAttribute(destination, offset, StunAttributeType.Software, software);
        }
        written = Finish(destination, offset, fingerprint: !request.IsRfc3489);
        return StunWriteStatus.Ok;
    }

    /// <summary>
    /// Error response (RFC 5389 §7.3.1, §15.6) with ERROR-CODE <paramref name="code"/> and, for 420,
    /// UNKNOWN-ATTRIBUTES listing <paramref name="unknownAttributes"/> (§15.9).
    /// </summary>
    public static StunWriteStatus WriteError(Span<byte> destination, StunMessage request, int code,
        ReadOnlySpan<byte> reason, ReadOnlySpan<ushort> unknownAttributes, ReadOnlySpan<byte> software, out int written)
    {
        written = 0;
        if (request.Bytes.Length < StunMessage.HeaderLength)
        {
            return StunWriteStatus.InvalidRequest;
        }
        if (code is < 300 or > 699)
        {
            return StunWriteStatus.InvalidErrorCode;
        }
        if (reason.Length > MaxTextBytes || software.Length > MaxTextBytes)
        {
            return StunWriteStatus.TextTooLong;
        }
        // RFC 3489 §11.2.10: an odd count is padded by repeating an attribute; RFC 5389 §15 pads with zero bytes.
        var unknownLength = 2 * unknownAttributes.Length;
        if (request.IsRfc3489 && (unknownAttributes.Length & 1) == 1)
        {
            unknownLength += 2;
        }
        var size = StunMessage.HeaderLength + Padded(4 + reason.Length, true)
            + Padded(unknownLength, unknownAttributes.Length > 0) + Padded(software.Length, software.Length > 0)
            + (request.IsRfc3489 ? 0 : 8);
        if (destination.Length < size || size - StunMessage.HeaderLength > ushort.MaxValue)
        {
            return StunWriteStatus.DestinationTooSmall;
        }
        var offset = WriteHeader(destination, request, StunMessageClass.ErrorResponse);
        // §15.6: 21 reserved bits, class (hundreds digit) in 3 bits, number (0–99) in 8 bits, reason phrase.
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)StunAttributeType.ErrorCode);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(4 + reason.Length));
        destination[offset + 4] = 0;
        destination[offset + 5] = 0;
        destination[offset + 6] = (byte)(code / 100);
        destination[offset + 7] = (byte)(code % 100);
        reason.CopyTo(destination[(offset + 8)..]);
        offset = Pad(destination, offset + 8 + reason.Length);
        if (unknownAttributes.Length > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)StunAttributeType.UnknownAttributes);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)unknownLength);
            offset += 4;
            foreach (var type in unknownAttributes)
            {
                BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], type);
                offset += 2;
            }
            if (unknownLength > 2 * unknownAttributes.Length)
            {
                BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], unknownAttributes[^1]);
                offset += 2;
            }
            offset = Pad(destination, offset);
        }
        if (software.Length > 0)
        {
            offset = WriteAttribute(destination, offset, StunAttributeType.Software, software);
        }
        written = Finish(destination, offset, fingerprint: !request.IsRfc3489);
        return StunWriteStatus.Ok;
    }

    private static int Padded(int valueLength, bool present) => present ? 4 + ((valueLength + 3) & ~3) : 0;

    private static int WriteHeader(Span<byte> destination, StunMessage request, StunMessageClass messageClass)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, StunMessageType.Compose(request.Method, messageClass));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        // §6 / §12.2: cookie and transaction id copied from the request (an RFC 3489 id is 128 bits).
        request.CookieAndTransactionId.CopyTo(destination[4..]);
        return StunMessage.HeaderLength;
    }

    private static int WriteAddress(Span<byte> destination, int offset, StunAttributeType type,
        ReadOnlySpan<byte> address, ushort port, ReadOnlySpan<byte> xorKey)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(4 + address.Length));
        destination[offset + 4] = 0;
        destination[offset + 5] = address.Length == 4 ? StunAddressFamily.IPv4 : StunAddressFamily.IPv6;
        var value = destination.Slice(offset + 8, address.Length);
        address.CopyTo(value);
        if (xorKey.IsEmpty)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 6)..], port);
        }
        else
        {
            // §15.2: X-Port = port XOR high 16 bits of the cookie; X-Address = address XOR cookie [|| transaction id].
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 6)..], (ushort)(port ^ (StunMessage.MagicCookie >> 16)));
            for (var i = 0; i < value.Length; i++)
            {
                value[i] ^= xorKey[i];
            }
        }
        return offset + 8 + address.Length;
    }

    private static int WriteAttribute(Span<byte> destination, int offset, StunAttributeType type, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)value.Length);
        value.CopyTo(destination[(offset + 4)..]);
        return Pad(destination, offset + 4 + value.Length);
    }

    /// <summary>Zero-fills up to the next multiple of 4 (§15: padding bits are ignored but we send zeros).</summary>
    private static int Pad(Span<byte> destination, int offset)
    {
        var padded = (offset + 3) & ~3;
        destination[offset..padded].Clear();
        return padded;
    }

    private static int Finish(Span<byte> destination, int offset, bool fingerprint)
    {
        if (fingerprint)
        {
            // §15.5: the length field must already include the 8-byte FINGERPRINT when the CRC is taken.
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(offset + 8 - StunMessage.HeaderLength));
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)StunAttributeType.Fingerprint);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], 4);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], StunFingerprint.Compute(destination[..offset]));
            return offset + 8;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(offset - StunMessage.HeaderLength));
        return offset;
    }
}
