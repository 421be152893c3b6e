namespace Relay.Server.Configuration;

/// <summary><c>dataplane.tun</c>: the TUN device to the kernel (FIG. 2, public gateway).</summary>
internal sealed record DataplaneTunConfig
{
    /// <summary>Interface name (one queue per worker); null = no TUN.</summary>
    public string? Name { get; set; }
}
