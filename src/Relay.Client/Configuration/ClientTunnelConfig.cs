namespace Relay.Client.Configuration;

/// <summary><c>tunnel</c>: the L2TP tunnel to relayd (RFC 2661).</summary>
internal sealed record ClientTunnelConfig
{
    /// <summary>Shared secret for tunnel authentication (§5.1.1), as relayd's tunnel.secret; null: none.</summary>
    public string? Secret { get; set; }

    /// <summary>Our Host Name AVP (§4.4.3); relayd may pick a per-host secret by it.</summary>
    public string HostName { get; set; } = "relay-client";

    /// <summary>Seconds of silence from relayd before a HELLO is sent (§6.5); a HELLO never acknowledged ends the tunnel.</summary>
    public int HelloIntervalSeconds { get; set; } = 30;

    /// <summary>UDP source port of the tunnel; 0 lets the kernel choose.</summary>
    public int LocalPort { get; set; } = 1701;
}
