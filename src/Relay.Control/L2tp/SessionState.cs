namespace Relay.Control.L2tp;

/// <summary>Incoming-call session states (RFC 2661 §7.4.1 LAC, §7.4.2 LNS).</summary>
public enum SessionState
{
    /// <summary>LAC: ICRQ sent, waiting for ICRP.</summary>
    WaitReply,

    /// <summary>LNS: ICRP sent, waiting for ICCN.</summary>
    WaitConnect,

    Established,
}
