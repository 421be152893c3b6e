using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.Client.Tunnel;

/// <summary>
/// The per-packet part of the client: an IPv4 packet from TUN gets an L2TP data header (RFC 2661 §3.1:
/// T=0, no Length, no sequence numbers unless the LNS asked for them) and a PPP header (FF 03 00 21:
/// Address/Control, Protocol IPv4; RFC 1662 §3.1, RFC 1332 §1) written in place in front of it; a datagram
/// from relayd is classified and, for IPv4 in our session, located in place. No allocation, no exception.
/// </summary>
internal static class DataFraming
{
    /// <summary>Room kept before the packet in the TUN read buffer: the longest header written (L2TP with Ns/Nr 10 + PPP 4).</summary>
    public const int Headroom = 14;

    private const int PppIpv4HeaderLength = 4;

    /// <summary>
    /// Writes the headers in the <see cref="Headroom"/> octets before the packet at <c>buffer[Headroom..]</c>.
    /// Returns where the datagram starts in <paramref name="buffer"/>; it ends where the packet ends.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Encapsulate(Span<byte> buffer, ushort peerTunnelId, ushort peerSessionId, ushort? ns)
    {
        var ppp = Headroom - PppIpv4HeaderLength;
        buffer[ppp] = 0xFF;
        buffer[ppp + 1] = 0x03;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(ppp + 2)..], PppProtocol.Ipv4);
        int start;
        if (ns is { } sequence)
        {
            start = ppp - 10;
            // Flags: S set (0x0800), version 2; Nr is reserved in data messages (§3.1) and sent as 0.
            BinaryPrimitives.WriteUInt16BigEndian(buffer[start..], 0x0802);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(start + 6)..], sequence);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(start + 8)..], 0);
        }
        else
        {
            start = ppp - 6;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[start..], 0x0002);
        }
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(start + 2)..], peerTunnelId);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(start + 4)..], peerSessionId);
        return start;
    }

    /// <summary>
    /// Classifies a datagram from relayd. For <see cref="DataVerdict.Ip"/>, the IPv4 packet is
    /// <c>datagram.Slice(ipStart, ipLength)</c>. <paramref name="tunnelId"/>/<paramref name="sessionId"/> are our
    /// own ids of the ready session, 0 while none is ready (then every data message goes to PPP).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DataVerdict Classify(ReadOnlySpan<byte> datagram, ushort tunnelId, ushort sessionId, out int ipStart, out int ipLength)
    {
        ipStart = 0;
        ipLength = 0;
        if (datagram.Length > 0 && (datagram[0] & 0x80) != 0)
        {
            return DataVerdict.L2tpControl;
        }
        if (L2tpHeader.TryParse(datagram, out var header) != L2tpParseStatus.Ok)
        {
            return DataVerdict.DroppedMalformed;
        }
        if (tunnelId == 0)
        {
            return DataVerdict.PppControl;
        }
        if (header.TunnelId != tunnelId || header.SessionId != sessionId)
        {
            return DataVerdict.DroppedOtherSession;
        }
        var payload = datagram.Slice(header.PayloadStart, header.PayloadLength);
        if (PppFrame.Parse(payload, out var frame) != PppFrameStatus.Ok)
        {
            return DataVerdict.DroppedMalformed;
        }
        if (frame.Protocol != PppProtocol.Ipv4)
        {
            return DataVerdict.PppControl;
        }
        var ip = frame.Information;
        if (ip.Length < 20 || (ip[0] >> 4) != 4)
        {
            return DataVerdict.DroppedNotIpv4;
        }
        ipStart = header.PayloadStart + frame.HeaderLength;
        ipLength = ip.Length;
        return DataVerdict.Ip;
    }
}
