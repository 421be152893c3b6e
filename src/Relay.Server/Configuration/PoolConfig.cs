namespace Relay.Server.Configuration;

/// <summary>One entry of <c>pools</c>: addresses handed to clients by IPCP.</summary>
internal sealed record PoolConfig
{
    public string Name { get; set; } = "private";

    /// <summary>IPv4 CIDR, e.g. 10.201.0.0/16.</summary>
    public string Range { get; set; } = "10.201.0.0/16";

    /// <summary>"private" (FIG. 1/3: reachable only between sessions) or "public" (FIG. 2: routed via TUN).</summary>
    public string Realm { get; set; } = "private";

    /// <summary>Addresses or CIDR blocks inside <see cref="Range"/> that are never leased.</summary>
    public List<string> Exclusions { get; set; } = [];
}
