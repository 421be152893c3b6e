namespace Relay.Server.Configuration;

/// <summary><c>tunnel</c>: L2TP tunnel settings (RFC 2661).</summary>
internal sealed record TunnelConfig
{
    /// <summary>Shared secret for RFC 2661 §5.1.1 tunnel authentication and AVP hiding; null turns it off.</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// File holding the tunnel secret (used when <see cref="Secret"/> is null). Missing at start: relayd
    /// generates a secret, stores it there readable by its owner only and prints it once (first boot).
    /// </summary>
    public string? SecretFile { get; set; }

    /// <summary>Secrets by the peer's Host Name AVP, overriding <see cref="Secret"/> for those peers.</summary>
    public Dictionary<string, string> PeerSecrets { get; set; } = [];

    /// <summary>Hide the AVPs RFC 2661 §4.3 allows to be hidden (needs a secret).</summary>
    public bool HideAvps { get; set; }

    /// <summary>Our Host Name AVP.</summary>
    public string HostName { get; set; } = "relay";

    /// <summary>Seconds of silence from a peer before a HELLO is sent (§6.5).</summary>
    public int HelloIntervalSeconds { get; set; } = 60;

    /// <summary>Retransmissions of a control message before the tunnel is cleared (§5.8).</summary>
    public int Retries { get; set; } = 5;

    /// <summary>Cap on the doubling retransmission interval, in seconds (RFC: at least 8).</summary>
    public int RetransmitCapSeconds { get; set; } = 8;

    /// <summary>Our Receive Window Size AVP: control messages the peer may have outstanding.</summary>
    public int ReceiveWindow { get; set; } = 16;

    public int MaxTunnels { get; set; } = 4096;

    public int MaxSessionsPerTunnel { get; set; } = 256;

    public int MaxSessions { get; set; } = 65535;

    /// <summary>SCCRQs accepted per second from one source address (burst twice that).</summary>
    public int SccrqPerSecondPerSource { get; set; } = 20;
}
