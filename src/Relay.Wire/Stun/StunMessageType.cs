namespace Relay.Wire.Stun;

/// <summary>
/// Packs and unpacks the 14-bit message type (RFC 5389 §6, figure 3): method bits M11–M0 interleaved
/// with class bits C1 (type bit 8) and C0 (type bit 4).
/// </summary>
public static class StunMessageType
{
    public static ushort Compose(ushort method, StunMessageClass messageClass)
    {
        var c = (int)messageClass;
        return (ushort)((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
            | ((c & 0b01) << 4) | ((c & 0b10) << 7));
    }

    public static ushort MethodOf(ushort type)
        => (ushort)((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));

    public static StunMessageClass ClassOf(ushort type)
        => (StunMessageClass)(((type >> 7) & 0b10) | ((type >> 4) & 0b01));
}
