using System.Buffers.Binary;

namespace Relay.Wire.Ppp;

/// <summary>
/// Builds an LCP-shaped packet (RFC 1661 §5) in place: the header first, then options or data,
/// then <see cref="Finish"/> fills the Length field. A write that does not fit returns false and
/// leaves the writer failed, so a caller may write several parts and check once at the end.
/// </summary>
public ref struct PppControlWriter
{
    private readonly Span<byte> _buffer;
    private int _length;
    private bool _failed;

    public PppControlWriter(Span<byte> buffer, PppCode code, byte identifier)
    {
        // Length is a 16-bit field, so a larger buffer is only usable up to 65535 octets.
        _buffer = buffer.Length > ushort.MaxValue ? buffer[..ushort.MaxValue] : buffer;
        if (_buffer.Length < PppControlPacket.HeaderLength)
        {
            _failed = true;
            return;
        }
        _buffer[0] = (byte)code;
        _buffer[1] = identifier;
        _length = PppControlPacket.HeaderLength;
    }

    /// <summary>True once any write did not fit.</summary>
    public readonly bool Failed => _failed;

    /// <summary>Octets written so far, header included.</summary>
    public readonly int Length => _length;

    /// <summary>A Configuration Option (RFC 1661 §6); its Data is at most 253 octets.</summary>
    public bool WriteOption(byte type, scoped ReadOnlySpan<byte> value)
    {
        if (value.Length > byte.MaxValue - 2 || !Reserve(2 + value.Length, out var span))
        {
            return Fail();
        }
        span[0] = type;
        span[1] = (byte)(2 + value.Length);
        value.CopyTo(span[2..]);
        return true;
    }

    /// <summary>An option without data, such as PFC or ACFC (RFC 1661 §6.5, §6.6).</summary>
    public bool WriteFlagOption(byte type) => WriteOption(type, ReadOnlySpan<byte>.Empty);

    /// <summary>A two-octet option value, such as MRU (RFC 1661 §6.1).</summary>
    public bool WriteUInt16Option(byte type, ushort value)
    {
        Span<byte> v = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(v, value);
        return WriteOption(type, v);
    }

    /// <summary>A four-octet option value: ACCM, Magic-Number, IP-Address, DNS/NBNS addresses.</summary>
    public bool WriteUInt32Option(byte type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, value);
        return WriteOption(type, v);
    }

    /// <summary>A protocol number plus protocol data: Quality- or IP-Compression-Protocol.</summary>
    public bool WriteProtocolOption(byte type, ushort protocol, scoped ReadOnlySpan<byte> data)
    {
        if (data.Length > byte.MaxValue - 4 || !Reserve(4 + data.Length, out var span))
        {
            return Fail();
        }
        span[0] = type;
        span[1] = (byte)(4 + data.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], protocol);
        data.CopyTo(span[4..]);
        return true;
    }

    /// <summary>
    /// Authentication-Protocol (RFC 1661 §6.2). CHAP carries its Algorithm octet (RFC 1994 §3);
    /// for any other protocol <paramref name="algorithm"/> is ignored.
    /// </summary>
    public bool WriteAuthenticationOption(ushort protocol, byte algorithm = 0)
    {
        ReadOnlySpan<byte> data = protocol == PppProtocol.Chap ? [algorithm] : default;
        return WriteProtocolOption(LcpOption.AuthenticationProtocol, protocol, data);
    }

    /// <summary>Raw Data octets: a rejected packet, Terminate data, Echo data.</summary>
    public bool WriteData(scoped ReadOnlySpan<byte> data)
    {
        if (!Reserve(data.Length, out var span))
        {
            return Fail();
        }
        data.CopyTo(span);
        return true;
    }

    /// <summary>A 16-bit Data field, such as the rejected Protocol of Protocol-Reject (§5.7).</summary>
    public bool WriteUInt16(ushort value)
    {
        if (!Reserve(2, out var span))
        {
            return Fail();
        }
        BinaryPrimitives.WriteUInt16BigEndian(span, value);
        return true;
    }

    /// <summary>A 32-bit Data field, such as the Magic-Number of Echo and Discard (§5.8).</summary>
    public bool WriteUInt32(uint value)
    {
        if (!Reserve(4, out var span))
        {
            return Fail();
        }
        BinaryPrimitives.WriteUInt32BigEndian(span, value);
        return true;
    }

    /// <summary>Fills the Length field; returns the packet length, or 0 if any write failed.</summary>
    public readonly int Finish()
    {
        if (_failed)
        {
            return 0;
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)_length);
        return _length;
    }

    private bool Reserve(int count, out Span<byte> span)
    {
        if (_failed || _buffer.Length - _length < count)
        {
            span = default;
            return false;
        }
        span = _buffer.Slice(_length, count);
        _length += count;
        return true;
    }

    private bool Fail()
    {
        _failed = true;
        return false;
    }
}
