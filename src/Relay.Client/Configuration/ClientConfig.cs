namespace Relay.Client.Configuration;

/// <summary>The whole relay-client configuration file. Every key is documented in docs/configuration.md.</summary>
internal sealed record ClientConfig
{
    /// <summary>relayd's L2TP address, "a.b.c.d" or "a.b.c.d:port" (port 1701 when left out).</summary>
    public string Relay { get; set; } = "";

    /// <summary>relayd's STUN service, "a.b.c.d[:port]"; null: the relay's address, port 3478.</summary>
    public string? Stun { get; set; }

    /// <summary>"auto": probe and open the tunnel only when needed; "always": tunnel without probing; "never": never tunnel.</summary>
    public string Mode { get; set; } = "auto";

    /// <summary>IPv4 addresses or prefixes (the IPsec peers) routed through the tunnel.</summary>
    public List<string> Routes { get; set; } = [];

    public ClientTunnelConfig Tunnel { get; set; } = new();

    public ClientPppConfig Ppp { get; set; } = new();

    public TunConfig Tun { get; set; } = new();

    public HooksConfig Hooks { get; set; } = new();

    public ReconnectConfig Reconnect { get; set; } = new();
}
