using System.Buffers.Binary;

namespace Relay.Wire.Stun;

/// <summary>
/// Walks the attributes of a message (RFC 5389 §15: type, length, value padded to 4 bytes). Stops at the
/// first attribute that does not fit, so it is safe on any input; <see cref="StunMessage.Parse"/> has
/// already rejected such messages.
/// </summary>
public ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _attributes;
    private int _offset;
    private StunAttribute _current;

    internal StunAttributeEnumerator(ReadOnlySpan<byte> attributes)
    {
        _attributes = attributes;
        _offset = 0;
        _current = default;
    }

    public readonly StunAttribute Current => _current;

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var remaining = _attributes.Length - _offset;
        if (remaining < 4)
        {
            return false;
        }
        var type = BinaryPrimitives.ReadUInt16BigEndian(_attributes[_offset..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(_attributes[(_offset + 2)..]);
        var padded = (length + 3) & ~3;
        if (4 + padded > remaining)
        {
            _offset = _attributes.Length;
            return false;
        }
        _current = new StunAttribute(type, _attributes.Slice(_offset + 4, length));
        _offset += 4 + padded;
        return true;
    }
}
