namespace Relay.Server.Configuration;

/// <summary><c>metrics</c>: the metrics endpoint.</summary>
internal sealed record MetricsConfig
{
    /// <summary>"address:port" of the metrics listener; null turns metrics off.</summary>
    public string? Listen { get; set; } = "127.0.0.1:9641";
}
