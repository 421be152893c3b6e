namespace Relay.Wire.Tests.Ip;

/// <summary>
/// A deliberately naive RFC 1071 sum, word by word in network order, as the yardstick for the
/// optimised <see cref="Relay.Wire.Ip.InternetChecksum"/>.
/// </summary>
internal static class ReferenceChecksum
{
    public static uint Sum(ReadOnlySpan<byte> data, uint sum = 0)
    {
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8 | data[i + 1]);
        }
        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return sum;
    }

    public static ushort Checksum(ReadOnlySpan<byte> data, uint initial = 0) => (ushort)~Sum(data, initial);
}
