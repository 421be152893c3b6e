namespace Relay.LoadGen.Sessions;

/// <summary>The tunnel secret and PPP login every load-generator session uses (relayd gets the same in its config and secrets file).</summary>
internal sealed record BenchCredentials(string TunnelSecret, string User, string Password)
{
    public static BenchCredentials Default { get; } = new("loadgen-tunnel-secret", "loadgen", "loadgen-password");
}
