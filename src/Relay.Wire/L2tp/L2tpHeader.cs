using System.Buffers.Binary;

namespace Relay.Wire.L2tp;

/// <summary>
/// The L2TP header (RFC 2661 §3.1). <see cref="TryParse"/> reads one from a UDP payload;
/// a value built with an object initializer (or <see cref="Control"/>) can be written with
/// <see cref="TryWrite"/>. Optional fields whose flag is clear read as zero.
/// </summary>
public readonly struct L2tpHeader
{
    /// <summary>The only header version this implementation speaks (§3.1).</summary>
    public const int Version = 2;

    /// <summary>Size of every control message header: flags, Length, ids, Ns, Nr.</summary>
    public const int ControlHeaderLength = 12;

    private const int VersionMask = 0x000f;

    public L2tpHeaderFlags Flags { get; init; }

    public ushort TunnelId { get; init; }

    public ushort SessionId { get; init; }

    public ushort Ns { get; init; }

    /// <summary>Nr; reserved in data messages and ignored on receipt there (§3.1).</summary>
    public ushort Nr { get; init; }

    /// <summary>The Length field as received; zero when L=0. <see cref="TryWrite"/> computes its own.</summary>
    public ushort Length { get; init; }

    /// <summary>Octets of offset padding after the Offset Size field; zero when O=0.</summary>
    public ushort OffsetSize { get; init; }

    /// <summary>
    /// Where the message ends in the parsed datagram: the Length field when present, else the
    /// datagram's end. Octets after it are not part of the message (§3.1 Length) and are ignored.
    /// </summary>
    public int MessageEnd { get; init; }

    public bool IsControl => (Flags & L2tpHeaderFlags.Control) != 0;

    public bool HasLength => (Flags & L2tpHeaderFlags.Length) != 0;

    public bool HasSequence => (Flags & L2tpHeaderFlags.Sequence) != 0;

    public bool HasOffset => (Flags & L2tpHeaderFlags.Offset) != 0;

    public bool IsPriority => (Flags & L2tpHeaderFlags.Priority) != 0;

    /// <summary>Octets from the start of the message to the payload, offset padding included.</summary>
    public int HeaderLength => FixedLength(Flags) + (HasOffset ? OffsetSize : 0);

    /// <summary>First payload octet (the first AVP for control messages, the PPP frame for data).</summary>
    public int PayloadStart => HeaderLength;

    /// <summary>Payload length in the parsed datagram.</summary>
    public int PayloadLength => MessageEnd - HeaderLength;

    /// <summary>The header of a control message: T, L and S set, O and P clear (§3.1).</summary>
    public static L2tpHeader Control(ushort tunnelId, ushort sessionId, ushort ns, ushort nr) => new()
    {
        Flags = L2tpHeaderFlags.ControlMessage,
        TunnelId = tunnelId,
        SessionId = sessionId,
        Ns = ns,
        Nr = nr,
    };

    /// <summary>
    /// Reads the header at the start of <paramref name="datagram"/> (a whole UDP payload).
    /// Reserved bits are ignored, as §3.1 requires of receivers.
    /// </summary>
    public static L2tpParseStatus TryParse(ReadOnlySpan<byte> datagram, out L2tpHeader header)
    {
        header = default;
        if (datagram.Length < 2)
        {
            return L2tpParseStatus.Truncated;
        }
        var word = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        var version = word & VersionMask;
        if (version != Version)
        {
            // §8.1: Ver 1 is L2F sharing port 1701; any other value MUST be discarded (§3.1).
            return version == 1 ? L2tpParseStatus.L2fVersion : L2tpParseStatus.UnsupportedVersion;
        }
        var flags = (L2tpHeaderFlags)word & L2tpHeaderFlags.Mask;
        if ((flags & L2tpHeaderFlags.Control) != 0)
        {
            var status = CheckControlFlags(flags);
            if (status != L2tpParseStatus.Ok)
            {
                return status;
            }
        }

        var fixedLength = FixedLength(flags);
        if (datagram.Length < fixedLength)
        {
            return L2tpParseStatus.Truncated;
        }
        var position = 2;
        ushort length = 0;
        var end = datagram.Length;
        if ((flags & L2tpHeaderFlags.Length) != 0)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(datagram[position..]);
            position += 2;
            if (length < fixedLength)
            {
                return L2tpParseStatus.BadLength;
            }
            if (length > datagram.Length)
            {
                return L2tpParseStatus.LengthExceedsDatagram;
            }
            end = length;
        }
        var tunnelId = BinaryPrimitives.ReadUInt16BigEndian(datagram[position..]);
        var sessionId = BinaryPrimitives.ReadUInt16BigEndian(datagram[(position + 2)..]);
        position += 4;
        ushort ns = 0, nr = 0;
        if ((flags & L2tpHeaderFlags.Sequence) != 0)
        {
            ns = BinaryPrimitives.ReadUInt16BigEndian(datagram[position..]);
            nr = BinaryPrimitives.ReadUInt16BigEndian(datagram[(position + 2)..]);
            position += 4;
        }
        ushort offsetSize = 0;
        if ((flags & L2tpHeaderFlags.Offset) != 0)
        {
            offsetSize = BinaryPrimitives.ReadUInt16BigEndian(datagram[position..]);
            position += 2;
            if (position + offsetSize > end)
            {
                // Without a Length field the message is the datagram, so a short pad is truncation.
                return (flags & L2tpHeaderFlags.Length) != 0 ? L2tpParseStatus.BadOffsetSize : L2tpParseStatus.Truncated;
            }
        }
        header = new L2tpHeader
        {
            Flags = flags,
            TunnelId = tunnelId,
            SessionId = sessionId,
            Ns = ns,
            Nr = nr,
            Length = length,
            OffsetSize = offsetSize,
            MessageEnd = end,
        };
        return L2tpParseStatus.Ok;
    }

    /// <summary>
    /// Writes this header (flags, ids, Ns/Nr, Offset Size and zeroed padding as the flags say)
    /// for a payload of <paramref name="payloadLength"/> octets that the caller places at
    /// <c>destination[headerLength..]</c>. When L is set the Length field covers header and payload.
    /// Reserved bits are written as zero (§3.1). Returns false, writing nothing, if the header does
    /// not fit, the total exceeds 65535 with L set, or the flags break the control-message rules.
    /// </summary>
    public bool TryWrite(Span<byte> destination, int payloadLength, out int headerLength)
    {
        var flags = Flags & L2tpHeaderFlags.Mask;
        headerLength = FixedLength(flags) + ((flags & L2tpHeaderFlags.Offset) != 0 ? OffsetSize : 0);
        if (destination.Length < headerLength
            || payloadLength < 0
            || ((flags & L2tpHeaderFlags.Length) != 0 && headerLength + payloadLength > ushort.MaxValue)
            || ((flags & L2tpHeaderFlags.Control) != 0 && CheckControlFlags(flags) != L2tpParseStatus.Ok))
        {
            headerLength = 0;
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)((ushort)flags | Version));
        var position = 2;
        if ((flags & L2tpHeaderFlags.Length) != 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[position..], (ushort)(headerLength + payloadLength));
            position += 2;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination[position..], TunnelId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 2)..], SessionId);
        position += 4;
        if ((flags & L2tpHeaderFlags.Sequence) != 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[position..], Ns);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 2)..], Nr);
            position += 4;
        }
        if ((flags & L2tpHeaderFlags.Offset) != 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[position..], OffsetSize);
            position += 2;
            destination.Slice(position, OffsetSize).Clear();
        }
        return true;
    }

    /// <summary>Header octets up to and including the Offset Size field (padding excluded).</summary>
    internal static int FixedLength(L2tpHeaderFlags flags)
        => 6
           + ((flags & L2tpHeaderFlags.Length) != 0 ? 2 : 0)
           + ((flags & L2tpHeaderFlags.Sequence) != 0 ? 4 : 0)
           + ((flags & L2tpHeaderFlags.Offset) != 0 ? 2 : 0);

    private static L2tpParseStatus CheckControlFlags(L2tpHeaderFlags flags)
    {
        // §3.1: control messages MUST carry Length and Ns/Nr, and MUST NOT set O or P.
        if ((flags & L2tpHeaderFlags.Length) == 0)
        {
            return L2tpParseStatus.ControlWithoutLength;
        }
        if ((flags & L2tpHeaderFlags.Sequence) == 0)
        {
            return L2tpParseStatus.ControlWithoutSequence;
        }
        if ((flags & L2tpHeaderFlags.Offset) != 0)
        {
            return L2tpParseStatus.ControlWithOffset;
        }
        if ((flags & L2tpHeaderFlags.Priority) != 0)
        {
            return L2tpParseStatus.ControlWithPriority;
        }
        return L2tpParseStatus.Ok;
    }
}
