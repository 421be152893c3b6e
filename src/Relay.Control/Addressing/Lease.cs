namespace Relay.Control.Addressing;

/// <summary>One lease, as the control API lists it.</summary>
public readonly record struct Lease(SessionKey Session, uint Address, string Pool, bool IsStatic);
