namespace Relay.Server.Configuration;

/// <summary>
/// <c>firewall</c>: who may reach the relay besides L2TP and STUN, for the nftables ruleset that
/// <c>relayd --print-firewall</c> generates (invention [0015], [0017]).
/// </summary>
internal sealed record FirewallConfig
{
    /// <summary>IPsec gateways (addresses or CIDRs, IPv4 or IPv6): the only peers IKE and ESP may flow to or from.</summary>
    public List<string> Gateways { get; set; } = [];

    /// <summary>Sources (addresses or CIDRs) allowed to reach <c>metrics.listen</c> when it is not a loopback address.</summary>
    public List<string> MetricsFrom { get; set; } = [];

    /// <summary>Sources (addresses or CIDRs) allowed to reach SSH (TCP 22) for management; empty = none.</summary>
    public List<string> SshFrom { get; set; } = [];
}
