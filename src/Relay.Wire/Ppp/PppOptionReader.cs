namespace Relay.Wire.Ppp;

/// <summary>
/// Walks a Configuration Option list (RFC 1661 §6). <c>foreach</c> stops at the end or at the
/// first malformed option; check <see cref="Status"/> afterwards to tell the two apart.
/// </summary>
public ref struct PppOptionReader
{
    private ReadOnlySpan<byte> _remaining;

    public PppOptionReader(ReadOnlySpan<byte> options)
    {
        _remaining = options;
        Current = default;
        Status = PppOptionStatus.Ok;
    }

    public PppOption Current { get; private set; }

    /// <summary>Ok while the list is well formed; otherwise why reading stopped.</summary>
    public PppOptionStatus Status { get; private set; }

    public readonly PppOptionReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.IsEmpty || Status != PppOptionStatus.Ok)
        {
            return false;
        }
        if (_remaining.Length < 2)
        {
            return Stop(PppOptionStatus.Truncated);
        }
        int length = _remaining[1];
        if (length < 2)
        {
            return Stop(PppOptionStatus.LengthTooShort);
        }
        if (length > _remaining.Length)
        {
            return Stop(PppOptionStatus.LengthBeyondPacket);
        }
        Current = new PppOption(_remaining[0], _remaining[2..length]);
        _remaining = _remaining[length..];
        return true;
    }

    /// <summary>Walks the whole list and returns its status: a check before acting on any option.</summary>
    public static PppOptionStatus Validate(ReadOnlySpan<byte> options)
    {
        var reader = new PppOptionReader(options);
        while (reader.MoveNext())
        {
        }
        return reader.Status;
    }

    private bool Stop(PppOptionStatus status)
    {
        Status = status;
        Current = default;
        _remaining = default;
        return false;
    }
}
