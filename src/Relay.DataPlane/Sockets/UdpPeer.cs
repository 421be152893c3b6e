using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Relay.DataPlane.Sockets;

/// <summary>
/// A UDP peer address without allocation: IPv4 addresses are kept as IPv4 (also when they arrive
/// v4-mapped on a dual-stack socket), IPv6 as 16 octets. Equality is by value, so the data plane
/// can compare a source with a tunnel's peer without an <see cref="IPEndPoint"/>.
/// </summary>
public readonly struct UdpPeer : IEquatable<UdpPeer>
{
    private readonly UInt128 _address;

    private UdpPeer(bool isIPv6, UInt128 address, ushort port)
    {
        IsIPv6 = isIPv6;
        _address = address;
        Port = port;
    }

    public bool IsIPv6 { get; }

    public ushort Port { get; }

    /// <summary>The IPv4 address in host order (only when not <see cref="IsIPv6"/>).</summary>
    public uint IPv4 => (uint)_address;

    public static UdpPeer FromIPv4(uint address, ushort port) => new(false, address, port);

    public static UdpPeer FromEndPoint(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes), (ushort)endpoint.Port);
        }
        address.TryWriteBytes(bytes, out _);
        return new UdpPeer(true, BinaryPrimitives.ReadUInt128BigEndian(bytes), (ushort)endpoint.Port);
    }

    public IPEndPoint ToEndPoint()
    {
        if (!IsIPv6)
        {
            return new IPEndPoint(new IPAddress(BinaryPrimitives.ReverseEndianness(IPv4)), Port);
        }
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, _address);
        return new IPEndPoint(new IPAddress(bytes), Port);
    }

    /// <summary>Reads a kernel sockaddr_in or sockaddr_in6.</summary>
    internal static UdpPeer Read(ReadOnlySpan<byte> sockaddr)
    {
        var family = BinaryPrimitives.ReadUInt16LittleEndian(sockaddr);
        var port = BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
        if (family == Native.AF_INET)
        {
            return FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(sockaddr[4..]), port);
        }
        var address = BinaryPrimitives.ReadUInt128BigEndian(sockaddr[8..]);
        // ::ffff:a.b.c.d from a dual-stack socket is an IPv4 peer.
        return (address >> 32) == 0xffff ? FromIPv4((uint)address, port) : new UdpPeer(true, address, port);
    }

    /// <summary>Writes the peer as a sockaddr of <paramref name="family"/> (IPv4 peers v4-mapped on AF_INET6); returns its length.</summary>
    internal int Write(Span<byte> sockaddr, int family)
    {
        sockaddr[..28].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(sockaddr, (ushort)family);
        BinaryPrimitives.WriteUInt16BigEndian(sockaddr[2..], Port);
        if (family == Native.AF_INET)
        {
            BinaryPrimitives.WriteUInt32BigEndian(sockaddr[4..], IPv4);
            return 16;
        }
        BinaryPrimitives.WriteUInt128BigEndian(sockaddr[8..], IsIPv6 ? _address : ((UInt128)0xffff << 32) | IPv4);
        return 28;
    }

    public bool Equals(UdpPeer other) => IsIPv6 == other.IsIPv6 && _address == other._address && Port == other.Port;

    public override bool Equals(object? obj) => obj is UdpPeer other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(IsIPv6, _address, Port);

    public static bool operator ==(UdpPeer left, UdpPeer right) => left.Equals(right);

    public static bool operator !=(UdpPeer left, UdpPeer right) => !left.Equals(right);

    public override string ToString() => ToEndPoint().ToString();
}
