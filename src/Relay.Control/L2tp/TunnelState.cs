namespace Relay.Control.L2tp;

/// <summary>Control connection states (RFC 2661 §7.2), both roles.</summary>
public enum TunnelState
{
    /// <summary>We sent SCCRQ and wait for SCCRP.</summary>
    WaitControlReply,

    /// <summary>We answered an SCCRQ with SCCRP and wait for SCCCN.</summary>
    WaitControlConnected,

    Established,

    /// <summary>StopCCN sent or received: state kept for the full retransmission interval (§5.8).</summary>
    Closing,
}
