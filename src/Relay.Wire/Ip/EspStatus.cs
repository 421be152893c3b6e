namespace Relay.Wire.Ip;

/// <summary>Result of <see cref="EspView.Parse"/>.</summary>
public enum EspStatus
{
    Ok = 0,

    /// <summary>Fewer than the 8 octets of SPI and Sequence Number.</summary>
    Truncated,

    /// <summary>SPI 0 is reserved for local use and never sent (RFC 4303 §2.1).</summary>
    ZeroSpi,

    /// <summary>SPI 1–255 is reserved by IANA (RFC 4303 §2.1).</summary>
    ReservedSpi,
}
