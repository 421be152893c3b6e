namespace Relay.Wire.Ppp;

/// <summary>Result of reading a Configuration Option list (RFC 1661 §6) or an option's value.</summary>
public enum PppOptionStatus
{
    Ok = 0,

    /// <summary>One octet left: a Type without its Length.</summary>
    Truncated,

    /// <summary>Length 0 or 1: an option is at least Type and Length (RFC 1661 §6).</summary>
    LengthTooShort,

    /// <summary>The option's Length runs past the end of the packet.</summary>
    LengthBeyondPacket,

    /// <summary>The option's Length does not fit the typed value asked for.</summary>
    WrongLength,
}
