namespace Relay.Server.Configuration;

/// <summary><c>policy</c>: what inner traffic sessions may send (to other sessions and to the kernel).</summary>
internal sealed record PolicyConfig
{
    /// <summary>Allow rules: "esp", "udp/500", "udp/4500", "tcp/443", "udp/1000-2000", "udp", "tcp", "proto/47".</summary>
    public List<string> Allow { get; set; } = ["esp", "udp/500", "udp/4500"];
}
