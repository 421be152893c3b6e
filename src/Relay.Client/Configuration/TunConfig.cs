namespace Relay.Client.Configuration;

/// <summary><c>tun</c>: the TUN device that carries the tunnel's IP packets.</summary>
internal sealed record TunConfig
{
    public string Name { get; set; } = "relay0";
}
