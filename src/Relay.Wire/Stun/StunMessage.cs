using System.Buffers.Binary;

namespace Relay.Wire.Stun;

/// <summary>
/// A view over one STUN message (RFC 5389 §6). Created by <see cref="Parse"/>, which allocates nothing and
/// throws nothing. Messages without the magic cookie are accepted as RFC 3489 messages (RFC 5389 §12):
/// their transaction id is the 128 bits after the length.
/// </summary>
public readonly ref struct StunMessage
{
    /// <summary>RFC 5389 §6: fixed value in bytes 4–7 of every RFC 5389 message.</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>Length of the message header (§6).</summary>
    public const int HeaderLength = 20;

    private readonly ReadOnlySpan<byte> _message;

    private StunMessage(ReadOnlySpan<byte> message, bool isRfc3489, bool hasFingerprint)
    {
        _message = message;
        IsRfc3489 = isRfc3489;
        HasFingerprint = hasFingerprint;
    }

    /// <summary>The whole message (header and attributes).</summary>
    public ReadOnlySpan<byte> Bytes => _message;

    /// <summary>The 20-byte header.</summary>
    public ReadOnlySpan<byte> Header => _message[..HeaderLength];

    /// <summary>The 14-bit message type (§6).</summary>
    public ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_message);

    /// <summary>The 12-bit method, gathered from bits M0–M11 of the type (§6, figure 3).</summary>
    public ushort Method => StunMessageType.MethodOf(MessageType);

    public StunMessageClass Class => StunMessageType.ClassOf(MessageType);

    /// <summary>True when the magic cookie is absent: an RFC 3489 peer (RFC 5389 §12).</summary>
    public bool IsRfc3489 { get; }

    /// <summary>True when a FINGERPRINT attribute was present (and, if parsing succeeded, correct).</summary>
    public bool HasFingerprint { get; }

    /// <summary>96-bit id for RFC 5389 messages, 128-bit id (cookie field included) for RFC 3489 ones.</summary>
    public ReadOnlySpan<byte> TransactionId => IsRfc3489 ? _message[4..HeaderLength] : _message[8..HeaderLength];

    /// <summary>Bytes 4–20 of the header: cookie and transaction id, copied verbatim into responses (§12.2).</summary>
    public ReadOnlySpan<byte> CookieAndTransactionId => _message[4..HeaderLength];

    public bool IsBindingRequest => Class == StunMessageClass.Request && Method == (ushort)StunMethod.Binding;

    /// <summary>The attributes; none on the default value a failed parse leaves behind.</summary>
    public StunAttributeEnumerator Attributes => new(_message.Length >= HeaderLength ? _message[HeaderLength..] : default);

    /// <summary>
    /// Parses <paramref name="datagram"/> as exactly one STUN message. When the result satisfies
    /// <see cref="StunParseStatusExtensions.HeaderIsValid"/>, <paramref name="message"/> exposes the header
    /// (so that a 400 response can name the transaction); otherwise it is default.
    /// </summary>
    public static StunParseStatus Parse(ReadOnlySpan<byte> datagram, out StunMessage message)
    {
        message = default;
        if (datagram.Length < HeaderLength)
        {
            return StunParseStatus.TooShort;
        }
        if ((datagram[0] & 0xC0) != 0)
        {
            return StunParseStatus.TopBitsNotZero;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((length & 3) != 0)
        {
            return StunParseStatus.LengthNotMultipleOfFour;
        }
        if (HeaderLength + length != datagram.Length)
        {
            return StunParseStatus.LengthMismatch;
        }
        var isRfc3489 = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != MagicCookie;
        var status = CheckAttributes(datagram, out var hasFingerprint);
        message = new StunMessage(datagram, isRfc3489, hasFingerprint);
        return status;
    }

    /// <summary>The value of the first attribute of <paramref name="type"/>, if any.</summary>
    public bool TryGetAttribute(StunAttributeType type, out ReadOnlySpan<byte> value)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Type == (ushort)type)
            {
                value = attribute.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// Writes into <paramref name="unknown"/> each distinct comprehension-required type (0x0000–0x7FFF,
    /// §15) that is not in <paramref name="understood"/>, for the UNKNOWN-ATTRIBUTES of a 420 response
    /// (§7.3.1). Returns how many were written; types beyond the destination's capacity are not listed.
    /// </summary>
    public int CollectUnknownComprehensionRequired(ReadOnlySpan<ushort> understood, Span<ushort> unknown)
    {
        var count = 0;
        foreach (var attribute in Attributes)
        {
            if (!attribute.IsComprehensionRequired || understood.Contains(attribute.Type) || unknown[..count].Contains(attribute.Type))
            {
                continue;
            }
            if (count == unknown.Length)
            {
                break;
            }
            unknown[count++] = attribute.Type;
        }
        return count;
    }

    /// <summary>
    /// Decodes an address attribute (MAPPED-ADDRESS §15.1, XOR-MAPPED-ADDRESS §15.2, and the RFC 3489 ones of
    /// the same layout). <paramref name="address"/> needs 16 bytes; <paramref name="addressLength"/> is 4 or 16.
    /// </summary>
    public bool TryGetAddress(StunAttributeType type, Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = 0;
        if (!TryGetAttribute(type, out var value) || value.Length < 8 || address.Length < 16)
        {
            return false;
        }
        addressLength = value[1] switch
        {
            StunAddressFamily.IPv4 when value.Length == 8 => 4,
            StunAddressFamily.IPv6 when value.Length == 20 => 16,
            _ => 0,
        };
        if (addressLength == 0)
        {
            return false;
        }
        port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        value.Slice(4, addressLength).CopyTo(address);
        if (type == StunAttributeType.XorMappedAddress)
        {
            // §15.2: port XOR the cookie's high 16 bits; address XOR cookie (IPv4) or cookie || transaction id (IPv6).
            port ^= (ushort)(MagicCookie >> 16);
            var key = CookieAndTransactionId;
            for (var i = 0; i < addressLength; i++)
            {
                address[i] ^= key[i];
            }
        }
        return true;
    }

    /// <summary>Reads ERROR-CODE (§15.6): class × 100 + number.</summary>
    public bool TryGetErrorCode(out int code, out ReadOnlySpan<byte> reason)
    {
        code = 0;
        reason = default;
        if (!TryGetAttribute(StunAttributeType.ErrorCode, out var value) || value.Length < 4)
        {
            return false;
        }
        code = (value[2] & 0x7) * 100 + value[3];
        reason = value[4..];
        return true;
    }

    private static StunParseStatus CheckAttributes(ReadOnlySpan<byte> message, out bool hasFingerprint)
    {
        hasFingerprint = false;
        var offset = HeaderLength;
        while (offset < message.Length)
        {
            if (message.Length - offset < 4)
            {
                return StunParseStatus.AttributeTruncated;
            }
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
            var next = offset + 4 + ((length + 3) & ~3);
            if (next > message.Length)
            {
                return StunParseStatus.AttributeTruncated;
            }
            if (type == (ushort)StunAttributeType.Fingerprint)
            {
                hasFingerprint = true;
                if (length != 4)
                {
                    return StunParseStatus.FingerprintBadLength;
                }
                if (next != message.Length)
                {
                    return StunParseStatus.FingerprintNotLast;
                }
                // §15.5: the CRC covers the message up to, not including, the attribute; the header length
                // already counts the FINGERPRINT attribute.
                if (BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]) != StunFingerprint.Compute(message[..offset]))
                {
                    return StunParseStatus.FingerprintMismatch;
                }
            }
            offset = next;
        }
        return StunParseStatus.Ok;
    }
}
