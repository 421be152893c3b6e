namespace Relay.Wire.Stun;

/// <summary>
/// Result of <see cref="StunMessage.Parse"/>. Members up to <see cref="LengthMismatch"/> mean the datagram
/// is not a STUN message at all (RFC 5389 §7.3: discard silently). From <see cref="AttributeTruncated"/> on,
/// the 20-byte header was valid and the message's header fields may be read (see
/// <see cref="StunParseStatusExtensions.HeaderIsValid"/>).
/// </summary>
public enum StunParseStatus : byte
{
    Ok = 0,

    /// <summary>Fewer than the 20 bytes of the header (§6).</summary>
    TooShort,
    /// <summary>The two most significant bits of the message are not zero (§6).</summary>
    TopBitsNotZero,
    /// <summary>Message length is not a multiple of 4 (§6: attributes are padded to 4).</summary>
    LengthNotMultipleOfFour,
    /// <summary>Header length plus 20 is not the datagram length (§7.3).</summary>
    LengthMismatch,

    /// <summary>An attribute header or its padded value runs past the end of the message (§15).</summary>
    AttributeTruncated,
    /// <summary>FINGERPRINT whose value is not 4 bytes (§15.5).</summary>
    FingerprintBadLength,
    /// <summary>An attribute follows FINGERPRINT, which must be last (§15.5).</summary>
    FingerprintNotLast,
    /// <summary>FINGERPRINT does not match CRC-32 XOR 0x5354554e of the preceding bytes (§15.5, §7.3).</summary>
    FingerprintMismatch,
}
