using System.Buffers.Binary;
using Relay.DataPlane.Sockets;
using Relay.Wire.Ip;

namespace Relay.DataPlane.Tests.Bpf;

/// <summary>Ethernet/IPv4/UDP frames around an L2TP message, as the relay's uplink receives them.</summary>
internal static class Frames
{
    public const uint Relay = 0xC0_00_02_01; // 192.0.2.1
    public static readonly byte[] RelayMac = [0x02, 0, 0, 0, 0, 0x01];
    public static readonly byte[] RouterMac = [0x02, 0, 0, 0, 0, 0x02];
    public const int EthernetLength = 14;
    public const int HeadersLength = EthernetLength + 20 + 8;

    /// <summary>A frame from <paramref name="source"/> to the relay's UDP 1701 carrying <paramref name="message"/>.</summary>
    public static byte[] Udp(ReadOnlySpan<byte> message, UdpPeer source, bool checksum = true, uint destination = Relay,
        ushort destinationPort = 1701, ushort fragmentWord = 0x4000)
    {
        var frame = new byte[HeadersLength + message.Length];
        RelayMac.CopyTo(frame, 0);
        RouterMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(EthernetLength);
        Ipv4Header.Write(ip, Ipv4Header.ProtocolUdp, source.IPv4, destination, (ushort)(20 + 8 + message.Length), 0x4242, 61);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], fragmentWord);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Compute(ip[..20]));
        message.CopyTo(ip[28..]);
        UdpHeader.Write(ip[20..], source.Port, destinationPort, source.IPv4, destination, checksum);
        return frame;
    }

    /// <summary>The L2TP message a frame carries (UDP payload).</summary>
    public static ReadOnlySpan<byte> Message(ReadOnlySpan<byte> frame) => frame[HeadersLength..];
}
