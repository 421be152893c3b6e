using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Relay.Control.Addressing;

/// <summary>
/// IPv4 addresses as <see cref="uint"/> in host order (10.0.0.1 is 0x0A000001), the form every
/// Addressing API takes: ordered, arithmetic, and free of allocation.
/// </summary>
public static class Ipv4Address
{
    public static uint FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            ThrowNotIpv4(address);
        }
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress ToIPAddress(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes);
    }

    /// <summary>Dotted quad, e.g. "10.0.0.1".</summary>
    public static string Format(uint address) => string.Create(CultureInfo.InvariantCulture,
        $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");

    /// <summary>Parses a dotted quad ("10.0.0.1") and nothing else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        for (var part = 0; part < 4; part++)
        {
            var dot = part < 3 ? text.IndexOf('.') : text.Length;
            if (dot <= 0 || dot > 3
                || !byte.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var octet))
            {
                address = 0;
                return false;
            }
            address = address << 8 | octet;
            text = part < 3 ? text[(dot + 1)..] : [];
        }
        return true;
    }

    private static void ThrowNotIpv4(IPAddress address)
        => throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
}
