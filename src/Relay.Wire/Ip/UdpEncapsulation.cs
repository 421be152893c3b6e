using System.Buffers.Binary;

namespace Relay.Wire.Ip;

/// <summary>Classifies UDP-encapsulated IPsec traffic on port 4500 (RFC 3948 §2).</summary>
public static class UdpEncapsulation
{
    public const ushort Port = 4500;

    /// <summary>The non-ESP marker: four zero octets where ESP would have its SPI (RFC 3948 §2.2).</summary>
    public const int NonEspMarkerLength = 4;

    /// <summary>The fixed IKE header (RFC 7296 §3.1); a shorter message cannot be IKE.</summary>
    private const int IkeHeaderLength = 28;

    public static UdpEncapsulationKind Classify(ReadOnlySpan<byte> udpPayload)
    {
        if (udpPayload.Length == 1)
        {
            return udpPayload[0] == 0xFF ? UdpEncapsulationKind.NatKeepalive : UdpEncapsulationKind.Malformed;
        }
        if (udpPayload.Length < NonEspMarkerLength)
        {
            return UdpEncapsulationKind.Malformed;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(udpPayload) == 0)
        {
            return udpPayload.Length >= NonEspMarkerLength + IkeHeaderLength ? UdpEncapsulationKind.Ike : UdpEncapsulationKind.Malformed;
        }
        // A non-zero SPI followed by at least the Sequence Number (RFC 4303 §2).
        return udpPayload.Length >= EspView.HeaderLength ? UdpEncapsulationKind.Esp : UdpEncapsulationKind.Malformed;
    }
}
