namespace Relay.Control.Addressing;

/// <summary>
/// One address pool as configured. <paramref name="Exclusions"/> are single addresses (/32) or
/// prefixes inside <paramref name="Range"/> that are never handed out, neither dynamically nor as a
/// static address. Validate a set of definitions with <see cref="PoolValidator"/>.
/// </summary>
public sealed record PoolDefinition(string Name, Ipv4Prefix Range, PoolRealm Realm, IReadOnlyList<Ipv4Prefix>? Exclusions = null)
{
    public IReadOnlyList<Ipv4Prefix> Exclusions { get; init; } = Exclusions ?? [];
}
