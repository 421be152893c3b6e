using System.Buffers.Binary;

namespace Relay.Wire.Ppp;

/// <summary>
/// An LCP-shaped packet: Code, Identifier, Length, Data (RFC 1661 §5), the shape LCP, IPCP
/// (RFC 1332 §2) and CCP (RFC 1962 §2) share. Octets beyond Length are padding and are ignored.
/// </summary>
public readonly ref struct PppControlPacket
{
    public const int HeaderLength = 4;

    private PppControlPacket(ReadOnlySpan<byte> packet)
    {
        Packet = packet;
    }

    public PppCode Code => (PppCode)Packet[0];

    public byte Identifier => Packet[1];

    public int Length => Packet.Length;

    /// <summary>The whole packet, Length octets, without padding.</summary>
    public ReadOnlySpan<byte> Packet { get; }

    /// <summary>
    /// Everything after the header: options for Configure-*, the rejected packet for
    /// Code-Reject (§5.6), uninterpreted data for Terminate-* (§5.5).
    /// </summary>
    public ReadOnlySpan<byte> Data => Packet[HeaderLength..];

    /// <summary>Configuration options, meaningful for Configure-Request/Ack/Nak/Reject (§5.1–5.4).</summary>
    public PppOptionReader Options => new(Data);

    public bool HasOptions => Code is >= PppCode.ConfigureRequest and <= PppCode.ConfigureReject;

    /// <summary>
    /// Parses a packet of the given control protocol. On <see cref="PppControlStatus.UnknownCode"/>
    /// <paramref name="result"/> is still set, for a Code-Reject.
    /// </summary>
    public static PppControlStatus Parse(ReadOnlySpan<byte> information, ushort protocol, out PppControlPacket result)
    {
        result = default;
        if (information.Length < HeaderLength)
        {
            return PppControlStatus.Truncated;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(information[2..]);
        if (length < HeaderLength)
        {
            return PppControlStatus.BadLength;
        }
        if (length > information.Length)
        {
            return PppControlStatus.LengthBeyondData;
        }
        result = new PppControlPacket(information[..length]);
        return IsKnownCode(protocol, information[0]) ? PppControlStatus.Ok : PppControlStatus.UnknownCode;
    }

    /// <summary>
    /// LCP defines Codes 1–11 (RFC 1661 §5); NCPs 1–7 (RFC 1332 §2, RFC 5072 §3); CCP 1–7 plus
    /// 14 and 15 (RFC 1962 §2).
    /// </summary>
    public static bool IsKnownCode(ushort protocol, byte code) => protocol switch
    {
        PppProtocol.Lcp => code is >= 1 and <= 11,
        PppProtocol.Ccp => code is (>= 1 and <= 7) or 14 or 15,
        _ => code is >= 1 and <= 7,
    };

    /// <summary>Protocol-Reject (RFC 1661 §5.7): the rejected Protocol and its Information field.</summary>
    public PppControlStatus ReadProtocolReject(out ushort rejectedProtocol, out ReadOnlySpan<byte> rejectedInformation)
    {
        rejectedProtocol = 0;
        rejectedInformation = default;
        if (Code != PppCode.ProtocolReject)
        {
            return PppControlStatus.WrongCode;
        }
        var data = Data;
        if (data.Length < 2)
        {
            return PppControlStatus.PayloadTooShort;
        }
        rejectedProtocol = BinaryPrimitives.ReadUInt16BigEndian(data);
        rejectedInformation = data[2..];
        return PppControlStatus.Ok;
    }

    /// <summary>
    /// Code-Reject (RFC 1661 §5.6): the rejected packet, header first, possibly truncated to the
    /// peer's MRU. Its Code tells which Code the peer does not know.
    /// </summary>
    public PppControlStatus ReadCodeReject(out PppCode rejectedCode, out ReadOnlySpan<byte> rejectedPacket)
    {
        rejectedCode = 0;
        rejectedPacket = default;
        if (Code != PppCode.CodeReject)
        {
            return PppControlStatus.WrongCode;
        }
        var data = Data;
        if (data.Length < HeaderLength)
        {
            return PppControlStatus.PayloadTooShort;
        }
        rejectedCode = (PppCode)data[0];
        rejectedPacket = data;
        return PppControlStatus.Ok;
    }

    /// <summary>Terminate-Request/Ack (RFC 1661 §5.5): uninterpreted Data, often a reason text.</summary>
    public PppControlStatus ReadTerminate(out ReadOnlySpan<byte> data)
    {
        if (Code is not (PppCode.TerminateRequest or PppCode.TerminateAck))
        {
            data = default;
            return PppControlStatus.WrongCode;
        }
        data = Data;
        return PppControlStatus.Ok;
    }

    /// <summary>Echo-Request/Reply and Discard-Request (RFC 1661 §5.8): Magic-Number and Data.</summary>
    public PppControlStatus ReadMagic(out uint magicNumber, out ReadOnlySpan<byte> data)
    {
        magicNumber = 0;
        data = default;
        if (Code is not (PppCode.EchoRequest or PppCode.EchoReply or PppCode.DiscardRequest))
        {
            return PppControlStatus.WrongCode;
        }
        var d = Data;
        if (d.Length < 4)
        {
            return PppControlStatus.PayloadTooShort;
        }
        magicNumber = BinaryPrimitives.ReadUInt32BigEndian(d);
        data = d[4..];
        return PppControlStatus.Ok;
    }
}
