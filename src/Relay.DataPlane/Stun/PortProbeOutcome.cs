namespace Relay.DataPlane.Stun;

/// <summary>How the STUN Binding exchange from one local port ended.</summary>
public enum PortProbeOutcome
{
    /// <summary>A Binding success response arrived with a mapped address.</summary>
    Answered,

    /// <summary>No valid response within the probe's time (a firewall, or the relay is unreachable).</summary>
    NoAnswer,

    /// <summary>The local port could not be bound (e.g. an IKE daemon already holds 500/4500): not probed.</summary>
    PortInUse,

    /// <summary>The kernel refused to send (no route, network unreachable).</summary>
    SendFailed,

    /// <summary>The server answered with a STUN error response.</summary>
    ErrorResponse,
}
