using System.Buffers.Binary;

namespace Relay.Wire.Ppp;

/// <summary>
/// A PAP packet (RFC 1334 §2.2): Authenticate-Request carries Peer-ID and Password, each
/// behind a one-octet length (§2.2.1); Authenticate-Ack/Nak carry a Message behind Msg-Length
/// (§2.2.2). Octets beyond Length are padding; octets inside Length after the last field are
/// ignored.
/// </summary>
public readonly ref struct PapPacket
{
    private const int HeaderLength = 4;

    private PapPacket(PapCode code, byte identifier, ReadOnlySpan<byte> peerId, ReadOnlySpan<byte> password, ReadOnlySpan<byte> message)
    {
        Code = code;
        Identifier = identifier;
        PeerId = peerId;
        Password = password;
        Message = message;
    }

    public PapCode Code { get; }

    public byte Identifier { get; }

    /// <summary>Authenticate-Request only.</summary>
    public ReadOnlySpan<byte> PeerId { get; }

    /// <summary>Authenticate-Request only.</summary>
    public ReadOnlySpan<byte> Password { get; }

    /// <summary>Authenticate-Ack/Nak only.</summary>
    public ReadOnlySpan<byte> Message { get; }

    public static PapStatus Parse(ReadOnlySpan<byte> information, out PapPacket result)
    {
        result = default;
        if (information.Length < HeaderLength)
        {
            return PapStatus.Truncated;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(information[2..]);
        if (length < HeaderLength)
        {
            return PapStatus.BadLength;
        }
        if (length > information.Length)
        {
            return PapStatus.LengthBeyondData;
        }
        var code = (PapCode)information[0];
        var identifier = information[1];
        var body = information[HeaderLength..length];
        switch (code)
        {
            case PapCode.AuthenticateRequest:
                if (!ReadCounted(body, out var peerId, out var rest))
                {
                    return PapStatus.PeerIdBeyondPacket;
                }
                if (!ReadCounted(rest, out var password, out _))
                {
                    return PapStatus.PasswordBeyondPacket;
                }
                result = new PapPacket(code, identifier, peerId, password, default);
                return PapStatus.Ok;
            case PapCode.AuthenticateAck:
            case PapCode.AuthenticateNak:
                if (!ReadCounted(body, out var message, out _))
                {
                    return PapStatus.MessageBeyondPacket;
                }
                result = new PapPacket(code, identifier, default, default, message);
                return PapStatus.Ok;
            default:
                return PapStatus.UnknownCode;
        }
    }

    /// <summary>Writes an Authenticate-Request (§2.2.1); returns the length, or 0 when it cannot.</summary>
    public static int WriteRequest(Span<byte> destination, byte identifier, ReadOnlySpan<byte> peerId, ReadOnlySpan<byte> password)
    {
        var length = HeaderLength + 1 + peerId.Length + 1 + password.Length;
        if (peerId.Length > byte.MaxValue || password.Length > byte.MaxValue || destination.Length < length)
        {
            return 0;
        }
        WriteHeader(destination, PapCode.AuthenticateRequest, identifier, length);
        var offset = WriteCounted(destination, HeaderLength, peerId);
        WriteCounted(destination, offset, password);
        return length;
    }

    /// <summary>Writes an Authenticate-Ack or -Nak (§2.2.2); returns the length, or 0 when it cannot.</summary>
    public static int WriteResult(Span<byte> destination, PapCode code, byte identifier, ReadOnlySpan<byte> message)
    {
        var length = HeaderLength + 1 + message.Length;
        if (code is not (PapCode.AuthenticateAck or PapCode.AuthenticateNak) || message.Length > byte.MaxValue || destination.Length < length)
        {
            return 0;
        }
        WriteHeader(destination, code, identifier, length);
        WriteCounted(destination, HeaderLength, message);
        return length;
    }

    private static bool ReadCounted(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> field, out ReadOnlySpan<byte> rest)
    {
        if (data.IsEmpty || data[0] > data.Length - 1)
        {
            field = default;
            rest = default;
            return false;
        }
        field = data.Slice(1, data[0]);
        rest = data[(1 + data[0])..];
        return true;
    }

    private static int WriteCounted(Span<byte> destination, int offset, ReadOnlySpan<byte> field)
    {
        destination[offset] = (byte)field.Length;
        field.CopyTo(destination[(offset + 1)..]);
        return offset + 1 + field.Length;
    }

    private static void WriteHeader(Span<byte> destination, PapCode code, byte identifier, int length)
    {
        destination[0] = (byte)code;
        destination[1] = identifier;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
    }
}
