using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Relay.Server.Configuration;

/// <summary>An IPv4 prefix such as 10.201.0.0/16.</summary>
internal readonly record struct Ipv4Cidr(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    public bool Overlaps(Ipv4Cidr other)
    {
        var mask = PrefixLength < other.PrefixLength ? Mask : other.Mask;
        return (Network & mask) == (other.Network & mask);
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Network);
        return $"{new IPAddress(bytes)}/{PrefixLength}";
    }

    /// <summary>Returns null on success, else what is wrong.</summary>
    public static string? TryParse(string? text, out Ipv4Cidr cidr)
    {
        cidr = default;
        var slash = text?.IndexOf('/') ?? -1;
        if (text is null || slash < 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            return "not an IPv4 CIDR (like 10.201.0.0/16)";
        }
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        var value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        cidr = new Ipv4Cidr(value, prefix);
        if ((value & ~cidr.Mask) != 0)
        {
            var canonical = new Ipv4Cidr(value & cidr.Mask, prefix);
            return $"host bits set (did you mean {canonical}?)";
        }
        return prefix > 30 ? "too small: a pool needs at least a /30" : null;
    }
}
