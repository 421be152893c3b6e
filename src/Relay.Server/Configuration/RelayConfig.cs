namespace Relay.Server.Configuration;

/// <summary>The whole relayd configuration file. Every key is documented in docs/configuration.md.</summary>
internal sealed record RelayConfig
{
    public ListenConfig Listen { get; set; } = new();

    public List<PoolConfig> Pools { get; set; } = [new PoolConfig()];

    public TunnelConfig Tunnel { get; set; } = new();

    public PppConfig Ppp { get; set; } = new();

    public ControlConfig Control { get; set; } = new();

    public MetricsConfig Metrics { get; set; } = new();

    public DataplaneConfig Dataplane { get; set; } = new();

    public PolicyConfig Policy { get; set; } = new();
    public FirewallConfig Firewall { get; set; } = new();
}
