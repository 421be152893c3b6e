namespace Relay.Control.L2tp;

public enum TunnelCloseReason
{
    /// <summary>We sent StopCCN (operator, shutdown, or a protocol error we detected).</summary>
    Local,

    /// <summary>The peer sent StopCCN.</summary>
    Peer,

    /// <summary>A control message went unacknowledged through every retransmission (§5.8).</summary>
    Timeout,

    /// <summary>The peer never finished the handshake.</summary>
    HandshakeTimeout,

    /// <summary>Our SCCRQ lost a tie-breaker (§4.4.3) and the tunnel was silently discarded.</summary>
    LostTieBreaker,
}
