using System.Buffers.Binary;
using System.Net;

namespace Relay.Testing;

/// <summary>
/// Writes classic libpcap files with LINKTYPE_RAW (IPv4 without a link header). The IPv4 and UDP
/// headers are built here, independently of Relay.Wire, so that a dissector check of Relay.Wire's
/// output does not rest on Relay.Wire's own checksum code.
/// </summary>
public sealed class PcapFile : IDisposable
{
    private const int LinkTypeRaw = 101;
    private readonly FileStream _stream;
    private ushort _ipId = 1;

    public PcapFile(string path)
    {
        Path = path;
        _stream = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeRaw);
        _stream.Write(header);
    }

    public string Path { get; }

    public int Count { get; private set; }

    /// <summary>Appends one IPv4 packet exactly as given.</summary>
    public void WriteIpPacket(ReadOnlySpan<byte> packet)
    {
        Span<byte> record = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(1_700_000_000 + Count));
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)packet.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)packet.Length);
        _stream.Write(record);
        _stream.Write(packet);
        Count++;
    }

    /// <summary>Wraps a UDP payload in IPv4 + UDP with correct checksums and appends it.</summary>
    public void WriteUdp(ReadOnlySpan<byte> payload, ushort sourcePort, ushort destinationPort,
        string source = "192.0.2.1", string destination = "198.51.100.1")
        => WriteIpPacket(BuildIpv4(17, IPAddress.Parse(source), IPAddress.Parse(destination), BuildUdp(payload, sourcePort, destinationPort, IPAddress.Parse(source), IPAddress.Parse(destination))));

    /// <summary>Wraps an arbitrary protocol payload (e.g. ESP, protocol 50) in IPv4 and appends it.</summary>
    public void WriteIpv4(byte protocol, ReadOnlySpan<byte> payload, string source = "192.0.2.1", string destination = "198.51.100.1")
        => WriteIpPacket(BuildIpv4(protocol, IPAddress.Parse(source), IPAddress.Parse(destination), payload.ToArray()));

    public void Dispose() => _stream.Dispose();

    private byte[] BuildIpv4(byte protocol, IPAddress source, IPAddress destination, byte[] payload)
    {
        var packet = new byte[20 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), _ipId++);
        packet[8] = 64;
        packet[9] = protocol;
        source.TryWriteBytes(packet.AsSpan(12), out _);
        destination.TryWriteBytes(packet.AsSpan(16), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(packet.AsSpan(0, 20), 0));
        payload.CopyTo(packet, 20);
        return packet;
    }

    private static byte[] BuildUdp(ReadOnlySpan<byte> payload, ushort sourcePort, ushort destinationPort, IPAddress source, IPAddress destination)
    {
        var udp = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        payload.CopyTo(udp.AsSpan(8));
        var pseudo = new byte[12];
        source.TryWriteBytes(pseudo, out _);
        destination.TryWriteBytes(pseudo.AsSpan(4), out _);
        pseudo[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)udp.Length);
        var sum = Checksum(udp, Sum(pseudo, 0));
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(6), sum == 0 ? (ushort)0xffff : sum);
        return udp;
    }

    private static uint Sum(ReadOnlySpan<byte> data, uint sum)
    {
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8 | data[i + 1]);
        }
        if ((data.Length & 1) != 0)
        {
            sum += (uint)(data[^1] << 8);
        }
        return sum;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data, uint initial)
    {
        var sum = Sum(data, initial);
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
