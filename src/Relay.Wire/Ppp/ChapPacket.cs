using System.Buffers.Binary;

namespace Relay.Wire.Ppp;

/// <summary>
/// A CHAP packet (RFC 1994 §4): Challenge and Response carry Value-Size, Value and Name (§4.1);
/// Success and Failure carry a Message (§4.2). Octets beyond Length are padding.
/// </summary>
public readonly ref struct ChapPacket
{
    private const int HeaderLength = 4;

    private ChapPacket(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> value, ReadOnlySpan<byte> name)
    {
        Packet = packet;
        Value = value;
        Name = name;
    }

    public ChapCode Code => (ChapCode)Packet[0];

    public byte Identifier => Packet[1];

    /// <summary>The whole packet, Length octets.</summary>
    public ReadOnlySpan<byte> Packet { get; }

    /// <summary>Challenge or Response Value (§4.1); empty for Success/Failure.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Name of the sender (§4.1); empty for Success/Failure.</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>Success/Failure Message (§4.2), implementation dependent; empty otherwise.</summary>
    public ReadOnlySpan<byte> Message => Code is ChapCode.Success or ChapCode.Failure ? Packet[HeaderLength..] : default;

    public static ChapStatus Parse(ReadOnlySpan<byte> information, out ChapPacket result)
    {
        result = default;
        if (information.Length < HeaderLength)
        {
            return ChapStatus.Truncated;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(information[2..]);
        if (length < HeaderLength)
        {
            return ChapStatus.BadLength;
        }
        if (length > information.Length)
        {
            return ChapStatus.LengthBeyondData;
        }
        var packet = information[..length];
        switch ((ChapCode)packet[0])
        {
            case ChapCode.Success:
            case ChapCode.Failure:
                result = new ChapPacket(packet, default, default);
                return ChapStatus.Ok;
            case ChapCode.Challenge:
            case ChapCode.Response:
                if (length == HeaderLength)
                {
                    return ChapStatus.BadLength;
                }
                int valueSize = packet[HeaderLength];
                if (valueSize == 0)
                {
                    return ChapStatus.EmptyValue;
                }
                var valueEnd = HeaderLength + 1 + valueSize;
                if (valueEnd > length)
                {
                    return ChapStatus.ValueBeyondPacket;
                }
                result = new ChapPacket(packet, packet[(HeaderLength + 1)..valueEnd], packet[valueEnd..]);
                return ChapStatus.Ok;
            default:
                return ChapStatus.UnknownCode;
        }
    }

    /// <summary>
    /// Writes a Challenge or Response (§4.1). Returns the length, or 0 when the span is too small,
    /// the code is neither, or the Value is empty or over 255 octets.
    /// </summary>
    public static int WriteChallenge(Span<byte> destination, ChapCode code, byte identifier, ReadOnlySpan<byte> value, ReadOnlySpan<byte> name)
    {
        var length = HeaderLength + 1 + value.Length + name.Length;
        if (code is not (ChapCode.Challenge or ChapCode.Response) || value.IsEmpty || value.Length > byte.MaxValue
            || length > ushort.MaxValue || destination.Length < length)
        {
            return 0;
        }
        WriteHeader(destination, code, identifier, length);
        destination[HeaderLength] = (byte)value.Length;
        value.CopyTo(destination[(HeaderLength + 1)..]);
        name.CopyTo(destination[(HeaderLength + 1 + value.Length)..]);
        return length;
    }

    /// <summary>Writes a Success or Failure (§4.2); returns the length, or 0 when it cannot.</summary>
    public static int WriteResult(Span<byte> destination, ChapCode code, byte identifier, ReadOnlySpan<byte> message)
    {
        var length = HeaderLength + message.Length;
        if (code is not (ChapCode.Success or ChapCode.Failure) || length > ushort.MaxValue || destination.Length < length)
        {
            return 0;
        }
        WriteHeader(destination, code, identifier, length);
        message.CopyTo(destination[HeaderLength..]);
        return length;
    }

    private static void WriteHeader(Span<byte> destination, ChapCode code, byte identifier, int length)
    {
        destination[0] = (byte)code;
        destination[1] = identifier;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
    }
}
