namespace Relay.DataPlane.Forwarding;

/// <summary>
/// One allow rule: an IP protocol and, for UDP and TCP, a port range that either port of the
/// packet must fall in (0–0 means any port). With <see cref="RequireUdpEncapsulation"/> a UDP
/// payload must be what RFC 3948 §2 allows on port 4500: ESP, a non-ESP-marked IKE message or
/// a NAT keepalive.
/// </summary>
public readonly record struct PolicyRule(byte Protocol, ushort FirstPort = 0, ushort LastPort = 0, bool RequireUdpEncapsulation = false)
{
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Esp = 50;

    /// <summary>ESP (RFC 4303): IP protocol 50.</summary>
    public static PolicyRule EspRule => new(Esp);

    /// <summary>IKE (RFC 7296 §2): UDP port 500.</summary>
    public static PolicyRule Ike => new(Udp, 500, 500);

    /// <summary>IKE and ESP in UDP (RFC 3948): UDP port 4500, payload checked.</summary>
    public static PolicyRule NatTraversal => new(Udp, 4500, 4500, RequireUdpEncapsulation: true);

    internal bool HasPorts => FirstPort != 0 || LastPort != 0;
}
