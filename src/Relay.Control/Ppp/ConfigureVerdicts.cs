using Relay.Wire.Ppp;

namespace Relay.Control.Ppp;

/// <summary>
/// The answer being built to one Configure-Request (RFC 1661 §5.3–5.4): options to Nak (with
/// the value we suggest, and the peer's original kept in case Naks must become Rejects, §4.6)
/// and options to Reject, each in the order met.
/// </summary>
internal sealed class ConfigureVerdicts
{
    private readonly OptionList _naks = new();
    private readonly OptionList _naksAsRejects = new();
    private readonly OptionList _rejects = new();

    public bool HasNaks => _naks.Length > 0;

    public bool HasRejects => _rejects.Length > 0;

    public ReadOnlySpan<byte> Naks => _naks.Span;

    public ReadOnlySpan<byte> Rejects => _rejects.Span;

    /// <summary>The Nak'd options as the peer sent them (suggestions of absent options left out).</summary>
    public ReadOnlySpan<byte> NaksAsRejects => _naksAsRejects.Span;

    public void Clear()
    {
        _naks.Clear();
        _naksAsRejects.Clear();
        _rejects.Clear();
    }

    public void Reject(PppOption option) => _rejects.Add(option.Type, option.Value);

    public void Nak(PppOption option, ReadOnlySpan<byte> suggestion)
    {
        _naks.Add(option.Type, suggestion);
        _naksAsRejects.Add(option.Type, option.Value);
    }

    public void Nak(PppOption option, uint suggestion)
    {
        Span<byte> value = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(value, suggestion);
        Nak(option, value);
    }

    public void Nak(PppOption option, ushort suggestion)
    {
        Span<byte> value = stackalloc byte[2];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(value, suggestion);
        Nak(option, value);
    }

    /// <summary>Asks the peer to include an option it left out (a Nak may do so, §5.3).</summary>
    public void Suggest(byte type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _naks.Add(type, bytes);
    }

    private sealed class OptionList
    {
        private byte[] _buffer = new byte[64];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

        public void Clear() => Length = 0;

        public void Add(byte type, ReadOnlySpan<byte> value)
        {
            var needed = Length + 2 + value.Length;
            if (needed > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
            }
            _buffer[Length] = type;
            _buffer[Length + 1] = (byte)(2 + value.Length);
            value.CopyTo(_buffer.AsSpan(Length + 2));
            Length = needed;
        }
    }
}
