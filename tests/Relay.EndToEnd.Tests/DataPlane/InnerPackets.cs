using System.Buffers.Binary;
using System.Net;
using Relay.Control.Addressing;
using Relay.Wire.Ip;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.EndToEnd.Tests.DataPlane;

/// <summary>Inner IPv4 packets (ESP, IKE, ICMP, fragments) and their L2TP/PPP wrapping, as a client would send them.</summary>
internal static class InnerPackets
{
    public const byte Icmp = 1;
    public const byte Udp = 17;
    public const byte Esp = 50;

    /// <summary>An IPv4 packet: 20-octet header (checksum right) and <paramref name="payload"/>.</summary>
    public static byte[] Ipv4(IPAddress source, IPAddress destination, byte protocol, ReadOnlySpan<byte> payload, ushort id = 1,
        ushort fragmentOffsetUnits = 0, bool moreFragments = false)
    {
        var packet = new byte[20 + payload.Length];
        Ipv4Header.Write(packet, protocol, Ipv4Address.FromIPAddress(source), Ipv4Address.FromIPAddress(destination), (ushort)packet.Length, id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)((moreFragments ? 0x2000 : 0) | fragmentOffsetUnits));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Compute(packet.AsSpan(0, 20)));
        payload.CopyTo(packet.AsSpan(20));
        return packet;
    }

    /// <summary>An ESP packet (RFC 4303): SPI, sequence number, then opaque octets seeded by <paramref name="seed"/>.</summary>
    public static byte[] EspPayload(uint spi, uint sequence, int length, int seed)
    {
        var esp = new byte[8 + length];
        BinaryPrimitives.WriteUInt32BigEndian(esp, spi);
        BinaryPrimitives.WriteUInt32BigEndian(esp.AsSpan(4), sequence);
        for (var i = 8; i < esp.Length; i++)
        {
            esp[i] = (byte)((i * 131) + (seed * 7));
        }
        return esp;
    }

    /// <summary>A UDP datagram (checksum computed) from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public static byte[] UdpPayload(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        var udp = new byte[8 + payload.Length];
        payload.CopyTo(udp.AsSpan(8));
        UdpHeader.Write(udp, sourcePort, destinationPort, Ipv4Address.FromIPAddress(source), Ipv4Address.FromIPAddress(destination));
        return udp;
    }

    /// <summary>An IKE header alone (RFC 7296 §3.1): SPIi, zero SPIr, no payload, version 2.0, IKE_SA_INIT, initiator, length 28.</summary>
    public static byte[] IkeHeader(int seed)
    {
        var ike = new byte[28];
        BinaryPrimitives.WriteUInt64BigEndian(ike, 0x1122334455660000UL + (ulong)seed);
        ike[17] = 0x20;
        ike[18] = 34;
        ike[19] = 0x08;
        BinaryPrimitives.WriteUInt32BigEndian(ike.AsSpan(24), (uint)ike.Length);
        return ike;
    }

    /// <summary>An ICMP echo request (not IKE, not ESP: the default policy refuses it).</summary>
    public static byte[] IcmpEcho()
    {
        var icmp = new byte[16];
        icmp[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(2), InternetChecksum.Compute(icmp));
        return icmp;
    }

    /// <summary>Splits <paramref name="packet"/> (an unfragmented IPv4 packet) into two fragments at <paramref name="firstPayload"/> octets (a multiple of 8).</summary>
    public static (byte[] First, byte[] Second) Fragment(byte[] packet, int firstPayload)
    {
        Ipv4Header.Parse(packet, out var ip);
        var source = Ipv4Address.ToIPAddress(ip.Source);
        var destination = Ipv4Address.ToIPAddress(ip.Destination);
        var payload = packet.AsSpan(20);
        var first = Ipv4(source, destination, ip.Protocol, payload[..firstPayload], ip.Identification, 0, moreFragments: true);
        var second = Ipv4(source, destination, ip.Protocol, payload[firstPayload..], ip.Identification, (ushort)(firstPayload / 8));
        return (first, second);
    }

    /// <summary>An L2TP data message (no L, no S) for relayd's (tunnel, session) carrying IPv4 in PPP FF 03 00 21.</summary>
    public static byte[] Wrap(ushort tunnelId, ushort sessionId, ReadOnlySpan<byte> ipv4)
    {
        var ppp = new byte[4 + ipv4.Length];
        var pppLength = PppFrame.Write(ppp, PppProtocol.Ipv4, ipv4, addressControl: true, compressProtocol: false);
        var header = new L2tpHeader { TunnelId = tunnelId, SessionId = sessionId };
        var datagram = new byte[16 + pppLength];
        header.TryWrite(datagram, pppLength, out var headerLength);
        ppp.AsSpan(0, pppLength).CopyTo(datagram.AsSpan(headerLength));
        return datagram[..(headerLength + pppLength)];
    }

    /// <summary>The inner IPv4 packet of a received data message.</summary>
    public static byte[] Unwrap(byte[] datagram, out L2tpHeader header)
    {
        L2tpHeader.TryParse(datagram, out header);
        PppFrame.Parse(datagram.AsSpan(header.PayloadStart, header.PayloadLength), out var ppp);
        return ppp.Information.ToArray();
    }

    /// <summary>
    /// What relayd must deliver for <paramref name="sent"/>: the same octets with TTL one lower and
    /// the header checksum updated (RFC 1812 §5.3.1, RFC 1624), nothing else changed.
    /// </summary>
    public static byte[] Forwarded(byte[] sent)
    {
        var expected = sent.ToArray();
        expected[8]--;
        BinaryPrimitives.WriteUInt16BigEndian(expected.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(expected.AsSpan(10), InternetChecksum.Compute(expected.AsSpan(0, 20)));
        return expected;
    }
}
