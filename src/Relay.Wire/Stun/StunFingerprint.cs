namespace Relay.Wire.Stun;

/// <summary>
/// FINGERPRINT (RFC 5389 §15.5): CRC-32 (ISO 3309 / ITU-T V.42, as in gzip) of the message up to the
/// attribute, XORed with 0x5354554e. Table-driven, reflected polynomial 0xEDB88320.
/// </summary>
public static class StunFingerprint
{
    /// <summary>The constant XORed into the CRC (§15.5).</summary>
    public const uint XorValue = 0x5354554e;

    private static readonly uint[] Table = BuildTable();

    /// <summary>Plain CRC-32 of <paramref name="data"/>.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var table = Table;
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return ~crc;
    }

    /// <summary>The FINGERPRINT value for a message whose bytes before the attribute are <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32(data) ^ XorValue;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
