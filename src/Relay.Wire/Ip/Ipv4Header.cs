using System.Buffers.Binary;

namespace Relay.Wire.Ip;

/// <summary>
/// A view of an IPv4 datagram (RFC 791 §3.1). Parsing bounds the view to Total Length, so link
/// padding after the datagram is excluded from <see cref="Payload"/>. Addresses are numbers
/// whose high byte is the first octet on the wire.
/// </summary>
public readonly ref struct Ipv4Header
{
    public const int MinimumLength = 20;
    public const byte ProtocolUdp = 17;
    public const byte ProtocolEsp = 50;

    private Ipv4Header(ReadOnlySpan<byte> datagram) => Datagram = datagram;

    /// <summary>The datagram, Total Length octets.</summary>
    public ReadOnlySpan<byte> Datagram { get; }

    public int HeaderLength => (Datagram[0] & 0x0F) * 4;

    public byte TypeOfService => Datagram[1];

    public ushort TotalLength => (ushort)Datagram.Length;

    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(Datagram[4..]);

    public bool DontFragment => (Datagram[6] & 0x40) != 0;

    public bool MoreFragments => (Datagram[6] & 0x20) != 0;

    /// <summary>Fragment Offset in units of 8 octets (RFC 791 §3.1).</summary>
    public ushort FragmentOffset => (ushort)(BinaryPrimitives.ReadUInt16BigEndian(Datagram[6..]) & 0x1FFF);

    public byte Ttl => Datagram[8];

    public byte Protocol => Datagram[9];

    public ushort HeaderChecksum => BinaryPrimitives.ReadUInt16BigEndian(Datagram[10..]);

    public uint Source => BinaryPrimitives.ReadUInt32BigEndian(Datagram[12..]);

    public uint Destination => BinaryPrimitives.ReadUInt32BigEndian(Datagram[16..]);

    public ReadOnlySpan<byte> SourceBytes => Datagram.Slice(12, 4);

    public ReadOnlySpan<byte> DestinationBytes => Datagram.Slice(16, 4);

    public bool HasOptions => HeaderLength > MinimumLength;

    public ReadOnlySpan<byte> Options => Datagram[MinimumLength..HeaderLength];

    public ReadOnlySpan<byte> Payload => Datagram[HeaderLength..];

    /// <summary>Part of a fragmented datagram: more fragments follow, or this one is not the first.</summary>
    public bool IsFragment => (BinaryPrimitives.ReadUInt16BigEndian(Datagram[6..]) & 0x3FFF) != 0;

    /// <summary>
    /// The first fragment of a fragmented datagram: offset 0 with More Fragments set. Only it
    /// carries the transport header, so port-based policy can read it and no other fragment.
    /// </summary>
    public bool IsFirstFragment => (BinaryPrimitives.ReadUInt16BigEndian(Datagram[6..]) & 0x3FFF) == 0x2000;

    public static Ipv4Status Parse(ReadOnlySpan<byte> packet, out Ipv4Header result, bool verifyChecksum = true)
    {
        result = default;
        if (packet.Length < MinimumLength)
        {
            return Ipv4Status.Truncated;
        }
        if (packet[0] >> 4 != 4)
        {
            return Ipv4Status.BadVersion;
        }
        var headerLength = (packet[0] & 0x0F) * 4;
        if (headerLength < MinimumLength)
        {
            return Ipv4Status.BadHeaderLength;
        }
        if (headerLength > packet.Length)
        {
            return Ipv4Status.HeaderBeyondData;
        }
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (totalLength < headerLength)
        {
            return Ipv4Status.TotalLengthTooShort;
        }
        if (totalLength > packet.Length)
        {
            return Ipv4Status.TotalLengthBeyondData;
        }
        if (verifyChecksum && InternetChecksum.Compute(packet[..headerLength]) != 0)
        {
            return Ipv4Status.BadChecksum;
        }
        result = new Ipv4Header(packet[..totalLength]);
        return Ipv4Status.Ok;
    }

    /// <summary>
    /// Decrements TTL in place and patches the header checksum incrementally (RFC 1624 §3
    /// eqn. 3 over the TTL/Protocol word), as a forwarding hop must (RFC 1812 §5.3.1).
    /// </summary>
    public static Ipv4TtlStatus DecrementTtl(Span<byte> header)
    {
        if (header.Length < MinimumLength)
        {
            return Ipv4TtlStatus.Truncated;
        }
        var ttl = header[8];
        if (ttl <= 1)
        {
            return Ipv4TtlStatus.Expired;
        }
        var oldWord = BinaryPrimitives.ReadUInt16BigEndian(header[8..]);
        var newWord = (ushort)(oldWord - 0x0100);
        header[8] = (byte)(ttl - 1);
        var checksum = BinaryPrimitives.ReadUInt16BigEndian(header[10..]);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], InternetChecksum.Update(checksum, oldWord, newWord));
        return Ipv4TtlStatus.Ok;
    }

    /// <summary>
    /// Writes a 20-octet header without options, checksum included. Returns false when the span
    /// is too small or <paramref name="totalLength"/> cannot hold the header.
    /// </summary>
    public static bool Write(Span<byte> destination, byte protocol, uint source, uint destinationAddress, ushort totalLength,
        ushort identification = 0, byte ttl = 64, bool dontFragment = false, byte typeOfService = 0)
    {
        if (destination.Length < MinimumLength || totalLength < MinimumLength)
        {
            return false;
        }
        var h = destination[..MinimumLength];
        h[0] = 0x45;
        h[1] = typeOfService;
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], totalLength);
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], identification);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], dontFragment ? (ushort)0x4000 : (ushort)0);
        h[8] = ttl;
        h[9] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(h[10..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(h[12..], source);
        BinaryPrimitives.WriteUInt32BigEndian(h[16..], destinationAddress);
        BinaryPrimitives.WriteUInt16BigEndian(h[10..], InternetChecksum.Compute(h));
        return true;
    }
}
