namespace Relay.Wire.Ppp;

/// <summary>Result of <see cref="ChapPacket.Parse"/>.</summary>
public enum ChapStatus
{
    Ok = 0,

    /// <summary>Fewer than the four header octets, or a Challenge/Response without Value-Size.</summary>
    Truncated,

    /// <summary>Length below 4, or below 5 for Challenge/Response (RFC 1994 §4).</summary>
    BadLength,

    /// <summary>Length larger than the octets received.</summary>
    LengthBeyondData,

    /// <summary>A Code other than 1–4 (RFC 1994 §4).</summary>
    UnknownCode,

    /// <summary>Value-Size 0: the Value is one or more octets (RFC 1994 §4.1).</summary>
    EmptyValue,

    /// <summary>Value-Size runs past Length.</summary>
    ValueBeyondPacket,
}
