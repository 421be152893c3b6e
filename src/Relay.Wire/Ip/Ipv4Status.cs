namespace Relay.Wire.Ip;

/// <summary>Result of <see cref="Ipv4Header.Parse"/>.</summary>
public enum Ipv4Status
{
    Ok = 0,

    /// <summary>Fewer than the 20 octets of a header without options.</summary>
    Truncated,

    /// <summary>Version is not 4 (RFC 791 §3.1).</summary>
    BadVersion,

    /// <summary>IHL below 5: the minimum header is five 32-bit words (RFC 791 §3.1).</summary>
    BadHeaderLength,

    /// <summary>IHL*4 octets (options included) are more than were received.</summary>
    HeaderBeyondData,

    /// <summary>Total Length is smaller than the header (RFC 791 §3.1).</summary>
    TotalLengthTooShort,

    /// <summary>Total Length is larger than the octets received.</summary>
    TotalLengthBeyondData,

    /// <summary>The header checksum does not verify (RFC 791 §3.1, RFC 1071).</summary>
    BadChecksum,
}
