using System.Net;

namespace Relay.DataPlane.Stun;

/// <summary>
/// What one local UDP port saw: the address:port the socket sent from (<paramref name="Local"/>, null when
/// the port could not be bound) and the address:port the STUN server saw (<paramref name="Mapped"/>, null
/// without an answer). <paramref name="Detail"/> says why in words when there was no answer.
/// </summary>
public sealed record PortProbe(int Port, PortProbeOutcome Outcome, IPEndPoint? Local, IPEndPoint? Mapped, string? Detail = null)
{
    /// <summary>True when the server saw another address or port than we sent from (RFC 5389 §2: a NAT is on the path).</summary>
    public bool Translated => Outcome == PortProbeOutcome.Answered && Local is not null && Mapped is not null && !Local.Equals(Mapped);
}
