using System.Buffers.Binary;

namespace Relay.Wire.Ppp;

/// <summary>
/// One Configuration Option: Type, Length, Data (RFC 1661 §6). Typed readers check the Length
/// each option defines and report <see cref="PppOptionStatus.WrongLength"/> otherwise.
/// </summary>
public readonly ref struct PppOption
{
    internal PppOption(byte type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    public byte Type { get; }

    /// <summary>The option's Length field: Value plus the two header octets.</summary>
    public int Length => Value.Length + 2;

    /// <summary>The Data field.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Options without data: PFC (RFC 1661 §6.5), ACFC (§6.6).</summary>
    public bool IsFlag => Value.IsEmpty;

    /// <summary>Two-octet values: MRU (RFC 1661 §6.1).</summary>
    public PppOptionStatus ReadUInt16(out ushort value)
    {
        if (Value.Length != 2)
        {
            value = 0;
            return PppOptionStatus.WrongLength;
        }
        value = BinaryPrimitives.ReadUInt16BigEndian(Value);
        return PppOptionStatus.Ok;
    }

    /// <summary>
    /// Four-octet values: ACCM (RFC 1662 §7.1), Magic-Number (RFC 1661 §6.4), IP-Address
    /// (RFC 1332 §3.3), DNS and NBNS addresses (RFC 1877 §1–4). Addresses come back with the
    /// first octet in the high byte, as on the wire.
    /// </summary>
    public PppOptionStatus ReadUInt32(out uint value)
    {
        if (Value.Length != 4)
        {
            value = 0;
            return PppOptionStatus.WrongLength;
        }
        value = BinaryPrimitives.ReadUInt32BigEndian(Value);
        return PppOptionStatus.Ok;
    }

    /// <summary>
    /// A protocol number followed by protocol-specific data: Authentication-Protocol
    /// (RFC 1661 §6.2), Quality-Protocol (§6.3), IP-Compression-Protocol (RFC 1332 §3.2).
    /// </summary>
    public PppOptionStatus ReadProtocol(out ushort protocol, out ReadOnlySpan<byte> data)
    {
        if (Value.Length < 2)
        {
            protocol = 0;
            data = default;
            return PppOptionStatus.WrongLength;
        }
        protocol = BinaryPrimitives.ReadUInt16BigEndian(Value);
        data = Value[2..];
        return PppOptionStatus.Ok;
    }

    /// <summary>
    /// Authentication-Protocol (RFC 1661 §6.2): PAP carries no data (RFC 1334 §2.1); CHAP
    /// carries exactly one Algorithm octet (RFC 1994 §3), such as <see cref="ChapAlgorithm.Md5"/>.
    /// For other protocols <paramref name="algorithm"/> is 0 and any data is left to the caller.
    /// </summary>
    public PppOptionStatus ReadAuthentication(out ushort protocol, out byte algorithm)
    {
        algorithm = 0;
        var status = ReadProtocol(out protocol, out var data);
        if (status != PppOptionStatus.Ok)
        {
            return status;
        }
        switch (protocol)
        {
            case PppProtocol.Chap when data.Length == 1:
                algorithm = data[0];
                return PppOptionStatus.Ok;
            case PppProtocol.Chap:
            case PppProtocol.Pap when data.Length != 0:
                return PppOptionStatus.WrongLength;
            default:
                return PppOptionStatus.Ok;
        }
    }
}
