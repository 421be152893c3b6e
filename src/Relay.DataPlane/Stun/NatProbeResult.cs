using System.Net;

namespace Relay.DataPlane.Stun;

/// <summary>
/// The outcome of NAT discovery. <see cref="Nat"/> is null when no answer allowed a judgement;
/// <see cref="Mapped"/> and <see cref="Local"/> are those of the probe the decision rests on;
/// <see cref="Reason"/> says in words why; <see cref="Ports"/> holds every port's observation.
/// </summary>
public sealed record NatProbeResult(bool? Nat, IPEndPoint? Mapped, IPEndPoint? Local, NatDecision Decision, string Reason, IReadOnlyList<PortProbe> Ports)
{
    /// <summary>One JSON line: <c>{"nat":..,"mapped":..,"local":..,"decision":"tunnel"|"direct","reason":..,"ports":[..]}</c>.</summary>
    public string ToJson() => NatProbeJson.Serialize(this);
}
