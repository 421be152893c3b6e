namespace Relay.Wire.Ip;

/// <summary>Result of <see cref="UdpHeader.Parse"/> and <see cref="UdpHeader.VerifyChecksum"/>.</summary>
public enum UdpStatus
{
    Ok = 0,

    /// <summary>Fewer than the 8 header octets.</summary>
    Truncated,

    /// <summary>Length below 8: it counts the header itself (RFC 768).</summary>
    LengthTooShort,

    /// <summary>Length is larger than the IP payload.</summary>
    LengthBeyondData,

    /// <summary>A non-zero checksum that does not verify over the pseudo-header and datagram.</summary>
    BadChecksum,
}
