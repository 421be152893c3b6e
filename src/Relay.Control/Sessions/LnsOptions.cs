using Relay.Control.Addressing;
using Relay.Control.L2tp;
using Relay.Control.Ppp;

namespace Relay.Control.Sessions;

/// <summary>Everything the LNS controller needs: the L2TP engine's, the PPP sessions' and the pools'.</summary>
public sealed record LnsOptions
{
    public L2tpOptions L2tp { get; init; } = new();

    /// <summary>PPP options for every session (role is forced to authenticator).</summary>
    public PppOptions Ppp { get; init; } = new();

    public IReadOnlyList<PoolDefinition> Pools { get; init; } = [];

    /// <summary>Addresses of relayd itself, never leased (the IPCP server address among them).</summary>
    public IReadOnlyList<uint> ServerAddresses { get; init; } = [];

    /// <summary>Pool for dynamic leases; null = the first pool.</summary>
    public string? DefaultPool { get; init; }

    /// <summary>Authentication failures tolerated on one tunnel per minute before the tunnel is closed.</summary>
    public int MaxAuthFailuresPerTunnelPerMinute { get; init; } = 5;
}
