namespace Relay.Wire.Ppp;

/// <summary>Result of <see cref="PppControlPacket.Parse"/> and of its payload readers.</summary>
public enum PppControlStatus
{
    Ok = 0,

    /// <summary>Fewer than the four octets of Code, Identifier and Length.</summary>
    Truncated,

    /// <summary>Length below 4 (RFC 1661 §5: the minimum packet).</summary>
    BadLength,

    /// <summary>Length larger than the octets received (RFC 1661 §5: silently discard).</summary>
    LengthBeyondData,

    /// <summary>
    /// The framing is sound but the Code is not one this protocol defines. The packet is still
    /// returned so that the caller can answer with Code-Reject (RFC 1661 §5.6).
    /// </summary>
    UnknownCode,

    /// <summary>A payload reader was asked for a field that this Code does not carry.</summary>
    WrongCode,

    /// <summary>The Data field is shorter than the fixed fields the Code requires.</summary>
    PayloadTooShort,
}
