using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Relay.Wire.Ppp;

/// <summary>
/// A PPP frame as an L2TP data payload carries it: the LAC strips only CRC, link framing and
/// transparency bytes (RFC 2661 §5.3), so the Address/Control octets FF 03 (RFC 1662 §3.1)
/// remain unless the peers negotiated ACFC (RFC 1661 §6.6). The Protocol field is one octet when
/// compressed (PFC, RFC 1661 §6.5) and two otherwise; the Information field follows it.
/// </summary>
public readonly ref struct PppFrame
{
    private PppFrame(ushort protocol, int headerLength, bool hasAddressControl, ReadOnlySpan<byte> information)
    {
        Protocol = protocol;
        HeaderLength = headerLength;
        HasAddressControl = hasAddressControl;
        Information = information;
    }

    public ushort Protocol { get; }

    /// <summary>Octets before the Information field: 1 to 4.</summary>
    public int HeaderLength { get; }

    public bool HasAddressControl { get; }

    /// <summary>True when the Protocol field was one octet.</summary>
    public bool IsProtocolCompressed => HeaderLength - (HasAddressControl ? 2 : 0) == 1;

    /// <summary>Information and any padding: PPP over L2TP has no FCS to strip.</summary>
    public ReadOnlySpan<byte> Information { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PppFrameStatus Parse(ReadOnlySpan<byte> frame, out PppFrame result)
    {
        result = default;
        var offset = 0;
        // 0xFF is never the first octet of a Protocol field (its high octet is even, RFC 1661 §2),
        // so a leading 0xFF can only be the All-Stations Address.
        if (frame.Length > 0 && frame[0] == 0xFF)
        {
            if (frame.Length < 2)
            {
                return PppFrameStatus.Truncated;
            }
            if (frame[1] != 0x03)
            {
                return PppFrameStatus.BadControl;
            }
            offset = 2;
        }
        if (frame.Length <= offset)
        {
            return PppFrameStatus.Truncated;
        }
        ushort protocol = frame[offset];
        int protocolLength;
        if ((protocol & 1) != 0)
        {
            // An odd first octet is the low octet of a compressed field (RFC 1661 §6.5).
            protocolLength = 1;
        }
        else
        {
            if (frame.Length < offset + 2)
            {
                return PppFrameStatus.Truncated;
            }
            protocol = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
            if ((protocol & 1) == 0)
            {
                return PppFrameStatus.BadProtocol;
            }
            protocolLength = 2;
        }
        var headerLength = offset + protocolLength;
        result = new PppFrame(protocol, headerLength, offset == 2, frame[headerLength..]);
        return PppFrameStatus.Ok;
    }

    /// <summary>
    /// Writes Address/Control (when <paramref name="addressControl"/>) and the Protocol field,
    /// compressed to one octet when <paramref name="compressProtocol"/> and the value allows it
    /// (RFC 1661 §6.5). Returns the octets written, 0 when the span is too small.
    /// </summary>
    public static int WriteHeader(Span<byte> destination, ushort protocol, bool addressControl = true, bool compressProtocol = false)
    {
        var length = (addressControl ? 2 : 0) + (compressProtocol && PppProtocol.IsCompressible(protocol) ? 1 : 2);
        if (destination.Length < length)
        {
            return 0;
        }
        var offset = 0;
        if (addressControl)
        {
            destination[0] = 0xFF;
            destination[1] = 0x03;
            offset = 2;
        }
        if (length - offset == 1)
        {
            destination[offset] = (byte)protocol;
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], protocol);
        }
        return length;
    }

    /// <summary>Writes a whole frame; returns the octets written, 0 when the span is too small.</summary>
    public static int Write(Span<byte> destination, ushort protocol, ReadOnlySpan<byte> information, bool addressControl = true, bool compressProtocol = false)
    {
        var header = WriteHeader(destination, protocol, addressControl, compressProtocol);
        if (header == 0 || destination.Length - header < information.Length)
        {
            return 0;
        }
        information.CopyTo(destination[header..]);
        return header + information.Length;
    }
}
