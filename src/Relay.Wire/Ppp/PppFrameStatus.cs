namespace Relay.Wire.Ppp;

/// <summary>Result of <see cref="PppFrame.Parse"/>.</summary>
public enum PppFrameStatus
{
    Ok = 0,

    /// <summary>The frame ends before the Protocol field is complete.</summary>
    Truncated,

    /// <summary>The Address octet is 0xFF but the Control octet is not 0x03 (RFC 1662 §3.1).</summary>
    BadControl,

    /// <summary>A two-octet Protocol field whose low octet is even (RFC 1661 §2).</summary>
    BadProtocol,
}
