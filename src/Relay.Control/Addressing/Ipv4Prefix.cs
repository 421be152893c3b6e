using System.Globalization;

namespace Relay.Control.Addressing;

/// <summary>
/// An IPv4 prefix such as 10.201.0.0/16, or a single address as a /32. Host bits are never set:
/// the constructor refuses them (relayd's config layer reports them to the user first).
/// </summary>
public readonly struct Ipv4Prefix : IEquatable<Ipv4Prefix>
{
    public Ipv4Prefix(uint network, int prefixLength)
    {
        if ((uint)prefixLength > 32)
        {
            ThrowBadLength(prefixLength);
        }
        Network = network;
        PrefixLength = prefixLength;
        if ((network & ~Mask) != 0)
        {
            ThrowHostBits(network, prefixLength);
        }
    }

    /// <summary>The first address, host order.</summary>
    public uint Network { get; }

    public int PrefixLength { get; }

    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    /// <summary>The last address (the broadcast address for /30 and shorter).</summary>
    public uint Last => Network | ~Mask;

    /// <summary>Number of addresses covered, 1 (/32) to 2^32 (/0).</summary>
    public ulong Size => 1UL << (32 - PrefixLength);

    public static Ipv4Prefix Single(uint address) => new(address, 32);

    public bool Contains(uint address) => (address & Mask) == Network;

    /// <summary>True when every address of <paramref name="other"/> is in this prefix.</summary>
    public bool Contains(Ipv4Prefix other) => other.PrefixLength >= PrefixLength && Contains(other.Network);

    public bool Overlaps(Ipv4Prefix other) => Contains(other.Network) || other.Contains(Network);

    /// <summary>Parses "10.0.0.0/24" or a bare address "10.0.0.5" (a /32); host bits must be clear.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Ipv4Prefix prefix)
    {
        prefix = default;
        var slash = text.IndexOf('/');
        var length = 32;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > 32))
        {
            return false;
        }
        if (!Ipv4Address.TryParse(slash >= 0 ? text[..slash] : text, out var network)
            || (length < 32 && (network & ~(length == 0 ? 0 : uint.MaxValue << (32 - length))) != 0))
        {
            return false;
        }
        prefix = new Ipv4Prefix(network, length);
        return true;
    }

    public static Ipv4Prefix Parse(string text)
        => TryParse(text, out var prefix) ? prefix : throw new FormatException($"\"{text}\" is not an IPv4 prefix (like 10.201.0.0/16)");

    public bool Equals(Ipv4Prefix other) => Network == other.Network && PrefixLength == other.PrefixLength;

    public override bool Equals(object? obj) => obj is Ipv4Prefix other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Network, PrefixLength);

    public static bool operator ==(Ipv4Prefix left, Ipv4Prefix right) => left.Equals(right);

    public static bool operator !=(Ipv4Prefix left, Ipv4Prefix right) => !left.Equals(right);

    /// <summary>"10.0.0.0/24", or just "10.0.0.5" for a /32.</summary>
    public override string ToString()
        => PrefixLength == 32 ? Ipv4Address.Format(Network) : string.Create(CultureInfo.InvariantCulture, $"{Ipv4Address.Format(Network)}/{PrefixLength}");

    private static void ThrowBadLength(int prefixLength)
        => throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, "an IPv4 prefix length is 0 to 32");

    private static void ThrowHostBits(uint network, int prefixLength)
        => throw new ArgumentException($"{Ipv4Address.Format(network)}/{prefixLength} has host bits set", nameof(network));
}
