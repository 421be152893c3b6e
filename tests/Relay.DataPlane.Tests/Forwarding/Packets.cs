using System.Buffers.Binary;
using Relay.Control.Addressing;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.Wire.Ip;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.DataPlane.Tests.Forwarding;

/// <summary>Builds L2TP/PPP/IPv4 test datagrams in a buffer with headroom, and a two-session hub.</summary>
internal static class Packets
{
    public const int Headroom = Forwarder.MaxEncapsulation;
    public const uint AddressA = 0x0A_00_00_0A; // 10.0.0.10
    public const uint AddressB = 0x0A_00_00_0B; // 10.0.0.11
    public const uint Outside = 0xC6_33_64_01; // 198.51.100.1
    public static readonly Ipv4Prefix Pool = Ipv4Prefix.Parse("10.0.0.0/24");
    public static readonly UdpPeer PeerA = UdpPeer.FromIPv4(0xCB_00_71_01, 40001);
    public static readonly UdpPeer PeerB = UdpPeer.FromIPv4(0xCB_00_71_02, 1701);
    public static readonly SessionKey KeyA = new(101, 201);
    public static readonly SessionKey KeyB = new(102, 202);

    /// <summary>A published table with sessions A and B ready (B's peer ids 0x0B0B/0x0B0C, sequencing as asked).</summary>
    public static ForwardingTable Hub(bool sequencingB = false, ForwardingPolicy? policy = null, bool kernelRoute = false, bool sequencingA = false)
    {
        var table = new ForwardingTable([Pool], workers: 2, policy, kernelRoute);
        table.Ready(KeyA, PeerA, 0x0A0A, 0x0A0B, sequencingA, AddressA);
        table.Ready(KeyB, PeerB, 0x0B0B, 0x0B0C, sequencingB, AddressB);
        table.Publish();
        return table;
    }

    public static ForwardingWorkerState Worker(int capacity = 64, long timeout = 1000) => new(0, new FragmentTable(capacity, timeout));

    /// <summary>An inner IPv4 datagram: <paramref name="protocol"/> with <paramref name="transport"/> as its payload.</summary>
    public static byte[] Ipv4(byte protocol, ReadOnlySpan<byte> transport, uint source = AddressA, uint destination = AddressB,
        byte ttl = 64, ushort id = 0x1234, ushort fragmentWord = 0)
    {
        var packet = new byte[20 + transport.Length];
        Ipv4Header.Write(packet, protocol, source, destination, (ushort)packet.Length, id, ttl);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), fragmentWord);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Compute(packet.AsSpan(0, 20)));
        transport.CopyTo(packet.AsSpan(20));
        return packet;
    }

    public static byte[] Esp(int payloadBytes, uint source = AddressA, uint destination = AddressB, byte ttl = 64)
    {
        var esp = new byte[8 + payloadBytes];
        BinaryPrimitives.WriteUInt32BigEndian(esp, 0x01020304);
        BinaryPrimitives.WriteUInt32BigEndian(esp.AsSpan(4), 7);
        for (var i = 8; i < esp.Length; i++)
        {
            esp[i] = (byte)(i * 31);
        }
        return Ipv4(Ipv4Header.ProtocolEsp, esp, source, destination, ttl);
    }

    public static byte[] Udp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload, uint source = AddressA, uint destination = AddressB)
    {
        var udp = new byte[8 + payload.Length];
        payload.CopyTo(udp.AsSpan(8));
        UdpHeader.Write(udp, sourcePort, destinationPort, source, destination);
        return Ipv4(Ipv4Header.ProtocolUdp, udp, source, destination);
    }

    /// <summary>
    /// Wraps a PPP frame (protocol + information, with or without FF 03, compressed or not) in an
    /// L2TP data message for (tunnel, session), in a buffer with <see cref="Headroom"/> octets before it.
    /// </summary>
    public static byte[] L2tp(ReadOnlySpan<byte> information, SessionKey key, L2tpHeaderFlags flags = L2tpHeaderFlags.None,
        ushort offsetSize = 0, ushort ns = 0, ushort protocol = PppProtocol.Ipv4, bool addressControl = true,
        bool compressProtocol = false, int trailer = 0, int headroom = Headroom)
    {
        var ppp = new byte[4 + information.Length];
        var pppLength = PppFrame.Write(ppp, protocol, information, addressControl, compressProtocol);
        var header = new L2tpHeader { Flags = flags, TunnelId = key.TunnelId, SessionId = key.SessionId, Ns = ns, Nr = 0x5555, OffsetSize = offsetSize };
        var buffer = new byte[headroom + 32 + pppLength + trailer];
        if (!header.TryWrite(buffer.AsSpan(headroom), pppLength, out var headerLength))
        {
            throw new InvalidOperationException("header did not fit");
        }
        // Fill the offset padding with junk: the relay must not care.
        buffer.AsSpan(headroom + headerLength - offsetSize, offsetSize).Fill(0xAB);
        ppp.AsSpan(0, pppLength).CopyTo(buffer.AsSpan(headroom + headerLength));
        var end = headroom + headerLength + pppLength;
        buffer.AsSpan(end, trailer).Fill(0xEE);
        return buffer.AsSpan(0, end + trailer).ToArray();
    }

    public static ForwardVerdict FromPeer(byte[] buffer, UdpPeer source, ForwardingTable table, ForwardingWorkerState worker,
        out ForwardResult result, long now = 0, int headroom = Headroom)
        => Forwarder.FromPeer(buffer, headroom, buffer.Length - headroom, source, table.Current, worker, now, out result);
}
