using System.Buffers.Binary;

namespace Relay.Wire.L2tp;

/// <summary>
/// Walks the AVPs of a control message body (everything after the 12-octet header, up to the
/// header's Length), usable with <c>foreach</c>. Enumeration stops at the first framing error;
/// <see cref="Status"/> then says why (it stays <see cref="L2tpParseStatus.Ok"/> after a clean end).
/// Each AVP carries the most recent preceding Random Vector so hidden values can be recovered.
/// </summary>
public ref struct L2tpAvpReader
{
    private const int HeaderLength = 6;
    private const int LengthMask = 0x03ff;

    private readonly ReadOnlySpan<byte> _body;
    private int _position;
    private ReadOnlySpan<byte> _randomVector;
    private bool _hasRandomVector;
    private L2tpAvp _current;

    public L2tpAvpReader(ReadOnlySpan<byte> body)
    {
        _body = body;
    }

    public readonly L2tpAvp Current => _current;

    public L2tpParseStatus Status { get; private set; }

    /// <summary>Offset in the body where the next AVP would start (the failing one after an error).</summary>
    public readonly int Position => _position;

    public readonly L2tpAvpReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (Status != L2tpParseStatus.Ok || _position >= _body.Length)
        {
            return false;
        }
        var rest = _body[_position..];
        if (rest.Length < HeaderLength)
        {
            return Fail(L2tpParseStatus.AvpTruncated);
        }
        var bits = rest[0];
        var length = BinaryPrimitives.ReadUInt16BigEndian(rest) & LengthMask;
        if (length < HeaderLength)
        {
            return Fail(L2tpParseStatus.AvpLengthTooSmall);
        }
        if (length > rest.Length)
        {
            return Fail(L2tpParseStatus.AvpBeyondMessage);
        }
        var vendorId = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
        var attributeType = BinaryPrimitives.ReadUInt16BigEndian(rest[4..]);
        var value = rest[HeaderLength..length];
        _current = new L2tpAvp(bits, (ushort)length, vendorId, attributeType, value, _randomVector, _hasRandomVector);
        _position += length;
        if (vendorId == 0 && attributeType == (ushort)AvpType.RandomVector && (bits & (L2tpAvp.HiddenBit | L2tpAvp.ReservedBits)) == 0)
        {
            // §4.3: a hidden AVP uses the Random Vector AVP most closely preceding it.
            _randomVector = value;
            _hasRandomVector = true;
        }
        return true;
    }

    private bool Fail(L2tpParseStatus status)
    {
        Status = status;
        _current = default;
        return false;
    }
}
