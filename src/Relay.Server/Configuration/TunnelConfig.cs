namespace Relay.Server.Configuration;

/// <summary><c>tunnel</c>: L2TP tunnel settings.</summary>
internal sealed record TunnelConfig
{
    /// <summary>Shared secret for RFC 2661 §5.1.1 tunnel authentication; null turns it off.</summary>
    public string? Secret { get; set; }
}
