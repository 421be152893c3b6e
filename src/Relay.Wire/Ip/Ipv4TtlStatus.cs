namespace Relay.Wire.Ip;

/// <summary>Result of <see cref="Ipv4Header.DecrementTtl"/>.</summary>
public enum Ipv4TtlStatus
{
    Ok = 0,

    /// <summary>Fewer than 20 octets: not a header.</summary>
    Truncated,

    /// <summary>
    /// TTL was 0 or 1, so the datagram must be discarded rather than forwarded (RFC 791 §3.2,
    /// RFC 1812 §5.3.1). The header is left unchanged.
    /// </summary>
    Expired,
}
