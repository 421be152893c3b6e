namespace Relay.Wire.Stun;

/// <summary>One attribute TLV (RFC 5389 §15): type and value without padding.</summary>
public readonly ref struct StunAttribute(ushort type, ReadOnlySpan<byte> value)
{
    public ushort Type { get; } = type;

    public ReadOnlySpan<byte> Value { get; } = value;

    /// <summary>§15: types 0x0000–0x7FFF must be understood by the receiver or the message fails.</summary>
    public bool IsComprehensionRequired => Type < 0x8000;
}
