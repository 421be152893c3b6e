namespace Relay.Control.Ppp;

/// <summary>Per-session counters of what was refused or dropped, for metrics.</summary>
public sealed class PppCounters
{
    /// <summary>Frames whose PPP header did not parse.</summary>
    public long MalformedFrames { get; internal set; }

    /// <summary>CCP frames, each answered with Protocol-Reject (compression is refused).</summary>
    public long CcpFrames { get; internal set; }

    /// <summary>IPV6CP frames, each answered with Protocol-Reject.</summary>
    public long Ipv6cpFrames { get; internal set; }

    public long ProtocolRejectsSent { get; internal set; }

    /// <summary>Frames of a protocol not allowed in the current phase (RFC 1661 §3.2–3.5), silently discarded.</summary>
    public long DiscardedOutOfPhase { get; internal set; }

    /// <summary>Network-layer frames that reached the control plane (the data plane owns them).</summary>
    public long DataFrames { get; internal set; }

    public long EchoRequestsSent { get; internal set; }

    public long EchoRepliesReceived { get; internal set; }

    /// <summary>Magic-Number collisions seen in Configure-Request/Nak (RFC 1661 §6.4).</summary>
    public long MagicCollisions { get; internal set; }

    /// <summary>Authentication packets discarded: malformed, wrong Identifier, unexpected Code.</summary>
    public long AuthenticationDiscarded { get; internal set; }

    /// <summary>Authenticator: requests the back end answered later (pending).</summary>
    public long AuthenticationsPending { get; internal set; }

    /// <summary>Authenticator: requests or Responses the peer repeated while a verdict was pending, not answered.</summary>
    public long AuthenticationRepeatsWhilePending { get; internal set; }
}
