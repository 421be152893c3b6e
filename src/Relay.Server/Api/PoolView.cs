namespace Relay.Server.Api;

/// <summary>One address pool: size of the range, addresses usable, used and free, and (on request) its leases.</summary>
internal sealed record PoolView(
    string Name,
    string Range,
    string Realm,
    int Size,
    int Usable,
    int Used,
    int Free,
    bool Draining,
    IReadOnlyList<LeaseView>? Leases);
