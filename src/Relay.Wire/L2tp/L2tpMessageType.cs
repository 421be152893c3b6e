namespace Relay.Wire.L2tp;

/// <summary>
/// Control message types (RFC 2661 §3.2). 0, 5 and 13 are reserved and, like values above 16,
/// have no member: a parser reports them as they came and the caller treats them as unknown
/// (§4.4.1: with the M-bit set that clears the tunnel, without it the message may be ignored).
/// </summary>
public enum L2tpMessageType : ushort
{
    /// <summary>Start-Control-Connection-Request.</summary>
    Sccrq = 1,
    /// <summary>Start-Control-Connection-Reply.</summary>
    Sccrp = 2,
    /// <summary>Start-Control-Connection-Connected.</summary>
    Scccn = 3,
    /// <summary>Stop-Control-Connection-Notification.</summary>
    StopCcn = 4,
    /// <summary>Hello (keepalive).</summary>
    Hello = 6,
    /// <summary>Outgoing-Call-Request.</summary>
    Ocrq = 7,
    /// <summary>Outgoing-Call-Reply.</summary>
    Ocrp = 8,
    /// <summary>Outgoing-Call-Connected.</summary>
    Occn = 9,
    /// <summary>Incoming-Call-Request.</summary>
    Icrq = 10,
    /// <summary>Incoming-Call-Reply.</summary>
    Icrp = 11,
    /// <summary>Incoming-Call-Connected.</summary>
    Iccn = 12,
    /// <summary>Call-Disconnect-Notify.</summary>
    Cdn = 14,
    /// <summary>WAN-Error-Notify.</summary>
    Wen = 15,
    /// <summary>Set-Link-Info.</summary>
    Sli = 16,
}
