using System.Buffers.Binary;

namespace Relay.Wire.Ip;

/// <summary>A view of a UDP datagram (RFC 768) inside an IPv4 payload, bounded to its Length field.</summary>
public readonly ref struct UdpHeader
{
    public const int HeaderLength = 8;

    private UdpHeader(ReadOnlySpan<byte> datagram) => Datagram = datagram;

    /// <summary>Header and data, Length octets.</summary>
    public ReadOnlySpan<byte> Datagram { get; }

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(Datagram);

    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(Datagram[2..]);

    public ushort Length => (ushort)Datagram.Length;

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(Datagram[6..]);

    /// <summary>A zero checksum field means the sender computed none (RFC 768).</summary>
    public bool HasChecksum => Checksum != 0;

    public ReadOnlySpan<byte> Payload => Datagram[HeaderLength..];

    public static UdpStatus Parse(ReadOnlySpan<byte> ipPayload, out UdpHeader result)
    {
        result = default;
        if (ipPayload.Length < HeaderLength)
        {
            return UdpStatus.Truncated;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(ipPayload[4..]);
        if (length < HeaderLength)
        {
            return UdpStatus.LengthTooShort;
        }
        if (length > ipPayload.Length)
        {
            return UdpStatus.LengthBeyondData;
        }
        result = new UdpHeader(ipPayload[..length]);
        return UdpStatus.Ok;
    }

    /// <summary>
    /// Verifies the checksum over the IPv4 pseudo-header and the datagram (RFC 768). A zero
    /// field means none was sent and verifies.
    /// </summary>
    public UdpStatus VerifyChecksum(uint source, uint destination)
    {
        if (!HasChecksum)
        {
            return UdpStatus.Ok;
        }
        var pseudo = InternetChecksum.PseudoHeaderSum(source, destination, Ipv4Header.ProtocolUdp, Length);
        return InternetChecksum.Compute(Datagram, pseudo) == 0 ? UdpStatus.Ok : UdpStatus.BadChecksum;
    }

    /// <summary>
    /// Fills the header of <paramref name="datagram"/>, whose octets after the first 8 are already
    /// the payload; Length is the span's length. With <paramref name="computeChecksum"/> the
    /// checksum covers the pseudo-header, and a computed 0 is sent as 0xFFFF because 0 means
    /// "no checksum" (RFC 768). Returns false when the span is shorter than 8 or over 65535.
    /// </summary>
    public static bool Write(Span<byte> datagram, ushort sourcePort, ushort destinationPort, uint source, uint destination, bool computeChecksum = true)
    {
        if (datagram.Length < HeaderLength || datagram.Length > ushort.MaxValue)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[4..], (ushort)datagram.Length);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[6..], 0);
        if (computeChecksum)
        {
            var pseudo = InternetChecksum.PseudoHeaderSum(source, destination, Ipv4Header.ProtocolUdp, (ushort)datagram.Length);
            var checksum = InternetChecksum.Compute(datagram, pseudo);
            BinaryPrimitives.WriteUInt16BigEndian(datagram[6..], checksum == 0 ? (ushort)0xFFFF : checksum);
        }
        return true;
    }
}
