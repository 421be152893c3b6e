namespace Relay.Wire.Ppp;

/// <summary>
/// PPP Protocol field values (RFC 1661 §2, assigned numbers) that Relay meets, and the class a
/// value belongs to. Values are the full 16-bit numbers even when sent compressed (§6.5).
/// </summary>
public static class PppProtocol
{
    public const ushort Ipv4 = 0x0021;
    public const ushort Ipv6 = 0x0057;

    /// <summary>Van Jacobson compressed and uncompressed TCP/IP (RFC 1332 §4).</summary>
    public const ushort VjCompressedTcpIp = 0x002D;
    public const ushort VjUncompressedTcpIp = 0x002F;

    /// <summary>Individual-link compressed datagram (RFC 1962 §1).</summary>
    public const ushort CompressedDatagramIndividualLink = 0x00FB;

    /// <summary>Compressed datagram under CCP (RFC 1962 §1).</summary>
    public const ushort CompressedDatagram = 0x00FD;

    public const ushort Ipcp = 0x8021;
    public const ushort Ipv6cp = 0x8057;
    public const ushort Ccp = 0x80FD;
    public const ushort Lcp = 0xC021;
    public const ushort Pap = 0xC023;
    public const ushort LinkQualityReport = 0xC025;
    public const ushort Chap = 0xC223;

    /// <summary>
    /// A valid Protocol value has an even high octet and an odd low octet (RFC 1661 §2), which
    /// is what lets a receiver tell a one-octet compressed field from a two-octet one (§6.5).
    /// </summary>
    public static bool IsValid(ushort protocol) => (protocol & 0x0101) == 0x0001;

    /// <summary>0x0*** to 0x3***: network-layer datagrams (RFC 1661 §2).</summary>
    public static bool IsNetworkLayer(ushort protocol) => protocol < 0x4000;

    /// <summary>
    /// 0x8*** to 0xb*** are Network Control Protocols and 0xc*** to 0xf*** link-layer control
    /// protocols such as LCP, PAP and CHAP (RFC 1661 §2). Both are handled by the control plane.
    /// </summary>
    public static bool IsControl(ushort protocol) => protocol >= 0x8000;

    /// <summary>0x8*** to 0xb***: a Network Control Protocol (IPCP, IPV6CP, CCP).</summary>
    public static bool IsNetworkControl(ushort protocol) => protocol is >= 0x8000 and < 0xC000;

    /// <summary>Protocol-Field-Compression applies only to values below 0x100 (RFC 1661 §6.5).</summary>
    public static bool IsCompressible(ushort protocol) => protocol < 0x0100;
}
