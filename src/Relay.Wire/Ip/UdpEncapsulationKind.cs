namespace Relay.Wire.Ip;

/// <summary>
/// What a UDP 4500 payload carries (RFC 3948 §2). Malformed is 0 so that an unset value
/// never passes as traffic.
/// </summary>
public enum UdpEncapsulationKind
{
    Malformed = 0,

    /// <summary>A single 0xFF octet (RFC 3948 §2.3).</summary>
    NatKeepalive,

    /// <summary>Four zero octets (the non-ESP marker) before an IKE message (RFC 3948 §2.2).</summary>
    Ike,

    /// <summary>An ESP packet: the first four octets are a non-zero SPI (RFC 3948 §2.1).</summary>
    Esp,
}
