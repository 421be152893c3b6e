namespace Relay.Server.Configuration;

/// <summary><c>listen</c>: UDP endpoints relayd binds, as "address:port" ("[v6]:port" for IPv6).</summary>
internal sealed record ListenConfig
{
    public string L2tp { get; set; } = "0.0.0.0:1701";

    public string Stun { get; set; } = "0.0.0.0:3478";
}
