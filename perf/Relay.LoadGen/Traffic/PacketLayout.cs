using System.Buffers.Binary;
using Relay.Wire.Ip;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.LoadGen.Traffic;

/// <summary>
/// The test datagram: an L2TP data message (RFC 2661 §3.1, no length, no sequence unless the session
/// asks for it) carrying a PPP frame (FF 03, protocol 0x0021) with an IPv4 packet (protocol 50) whose
/// ESP body (RFC 4303: SPI, sequence number) holds the probe: magic, flow, send timestamp, sequence.
/// <c>payload_bytes</c> in the results is the IPv4 packet's length, i.e. what PPP carries and the MRU limits.
/// </summary>
internal static class PacketLayout
{
    public const uint Magic = 0x52_4C_59_50; // "RLYP"
    public const int MinimumInnerLength = Ipv4Header.MinimumLength + 8 + ProbeLength;
    private const int ProbeLength = 4 + 4 + 8 + 8;
    private const byte EspProtocol = 50;

    /// <summary>Writes the whole datagram for one flow into <paramref name="destination"/>; returns its length. The probe is written later by <see cref="Stamp"/>.</summary>
    public static int WriteTemplate(Span<byte> destination, ushort peerTunnelId, ushort peerSessionId, bool sequenced, uint sourceAddress, uint destinationAddress, int innerLength, uint spi)
    {
        if (innerLength < MinimumInnerLength)
        {
            throw new ArgumentOutOfRangeException(nameof(innerLength), $"at least {MinimumInnerLength} bytes");
        }
        var header = new L2tpHeader
        {
            Flags = sequenced ? L2tpHeaderFlags.Sequence : L2tpHeaderFlags.None,
            TunnelId = peerTunnelId,
            SessionId = peerSessionId,
        };
        var pppLength = PppFrame.WriteHeader(destination[16..], PppProtocol.Ipv4);
        if (!header.TryWrite(destination, pppLength + innerLength, out var l2tpLength))
        {
            throw new InvalidOperationException("L2TP data header did not fit");
        }
        PppFrame.WriteHeader(destination[l2tpLength..], PppProtocol.Ipv4);
        var ip = destination.Slice(l2tpLength + pppLength, innerLength);
        ip.Clear();
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)innerLength);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // DF
        ip[8] = 64;
        ip[9] = EspProtocol;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], sourceAddress);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], destinationAddress);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Compute(ip[..Ipv4Header.MinimumLength]));
        BinaryPrimitives.WriteUInt32BigEndian(ip[20..], spi);
        return l2tpLength + pppLength + innerLength;
    }

    /// <summary>Offset of the probe within a datagram whose template was written with these lengths.</summary>
    public static int ProbeOffset(int datagramLength, int innerLength) => datagramLength - innerLength + Ipv4Header.MinimumLength + 8;

    /// <summary>Fills in the probe and the ESP sequence number (the low 32 bits of <paramref name="sequence"/>).</summary>
    public static void Stamp(Span<byte> datagram, int probeOffset, int flow, long timestamp, long sequence)
    {
        BinaryPrimitives.WriteUInt32BigEndian(datagram[(probeOffset - 4)..], (uint)sequence);
        var probe = datagram[probeOffset..];
        BinaryPrimitives.WriteUInt32BigEndian(probe, Magic);
        BinaryPrimitives.WriteInt32BigEndian(probe[4..], flow);
        BinaryPrimitives.WriteInt64BigEndian(probe[8..], timestamp);
        BinaryPrimitives.WriteInt64BigEndian(probe[16..], sequence);
    }

    /// <summary>
    /// Finds the probe in a received data message (whatever tunnel and session ids it carries: the C
    /// baseline does not rewrite them). False for anything that is not one of our IPv4/ESP probes.
    /// </summary>
    public static bool TryReadProbe(ReadOnlySpan<byte> datagram, out int flow, out long timestamp, out long sequence, out bool isPppData)
    {
        flow = 0;
        timestamp = 0;
        sequence = 0;
        isPppData = false;
        if (L2tpHeader.TryParse(datagram, out var header) != L2tpParseStatus.Ok || header.IsControl
            || PppFrame.Parse(datagram.Slice(header.PayloadStart, header.PayloadLength), out var frame) != PppFrameStatus.Ok)
        {
            return false;
        }
        if (frame.Protocol != PppProtocol.Ipv4)
        {
            return false;
        }
        isPppData = true;
        var ip = frame.Information;
        if (ip.Length < MinimumInnerLength || ip[9] != EspProtocol)
        {
            return false;
        }
        var probe = ip[(((ip[0] & 0x0f) * 4) + 8)..];
        if (probe.Length < ProbeLength || BinaryPrimitives.ReadUInt32BigEndian(probe) != Magic)
        {
            return false;
        }
        flow = BinaryPrimitives.ReadInt32BigEndian(probe[4..]);
        timestamp = BinaryPrimitives.ReadInt64BigEndian(probe[8..]);
        sequence = BinaryPrimitives.ReadInt64BigEndian(probe[16..]);
        return true;
    }
}
