using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Relay.DataPlane.Tun;

/// <summary>
/// IPv4 address, MTU, up/down and routes of an interface through the classic SIOC* ioctls on a
/// datagram socket: enough for a point-to-point TUN, no netlink library and no `ip` binary needed.
/// Acts in the network namespace of the calling thread. Every failure names the interface, the
/// operation and the errno.
/// </summary>
public static unsafe class InterfaceSetup
{
    public static void SetAddress(string name, IPAddress local, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        var request = Request(name);
        request.Address = TunNative.SockAddrIn.Ipv4(NetworkOrder(local));
        Control(name, TunNative.SIOCSIFADDR, &request, $"set address {local}");
        request = Request(name);
        request.Address = TunNative.SockAddrIn.Ipv4(NetworkOrder(Mask(prefixLength)));
        Control(name, TunNative.SIOCSIFNETMASK, &request, $"set prefix length /{prefixLength}");
    }

    /// <summary>The far end of a point-to-point interface (the kernel adds a host route to it).</summary>
    public static void SetPeerAddress(string name, IPAddress peer)
    {
        var request = Request(name);
        request.Address = TunNative.SockAddrIn.Ipv4(NetworkOrder(peer));
        Control(name, TunNative.SIOCSIFDSTADDR, &request, $"set peer address {peer}");
    }

    public static void SetMtu(string name, int mtu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mtu, 68);
        var request = Request(name);
        request.Value = mtu;
        Control(name, TunNative.SIOCSIFMTU, &request, $"set mtu {mtu}");
    }

    public static void SetUp(string name) => SetFlag(name, up: true);

    public static void SetDown(string name) => SetFlag(name, up: false);

    public static int InterfaceIndex(string name)
    {
        var request = Request(name);
        Control(name, TunNative.SIOCGIFINDEX, &request, "get interface index");
        return request.Value;
    }

    /// <summary>Routes <paramref name="network"/>/<paramref name="prefixLength"/> out of the interface (no gateway: it is point-to-point).</summary>
    public static void AddRoute(string name, IPAddress network, int prefixLength) => Route(name, network, prefixLength, add: true);

    public static void DeleteRoute(string name, IPAddress network, int prefixLength) => Route(name, network, prefixLength, add: false);

    private static void Route(string name, IPAddress network, int prefixLength, bool add)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        var mask = Mask(prefixLength);
        var request = Request(name); // validates the name
        var entry = default(TunNative.RtEntry);
        entry.Destination = TunNative.SockAddrIn.Ipv4(NetworkOrder(HostOrder(network) & mask));
        entry.GenMask = TunNative.SockAddrIn.Ipv4(NetworkOrder(mask));
        entry.Gateway = TunNative.SockAddrIn.Ipv4(0);
        entry.Flags = (ushort)(TunNative.RTF_UP | (prefixLength == 32 ? TunNative.RTF_HOST : 0));
        entry.Device = request.Name;
        var what = $"{(add ? "add" : "delete")} route {new IPAddress(BinaryPrimitives.ReverseEndianness(HostOrder(network) & mask))}/{prefixLength}";
        Control(name, add ? TunNative.SIOCADDRT : TunNative.SIOCDELRT, &entry, what);
    }

    private static void SetFlag(string name, bool up)
    {
        var request = Request(name);
        Control(name, TunNative.SIOCGIFFLAGS, &request, "get flags");
        request.Flags = (short)(up ? request.Flags | TunNative.IFF_UP : request.Flags & ~TunNative.IFF_UP);
        Control(name, TunNative.SIOCSIFFLAGS, &request, up ? "set up" : "set down");
    }

    private static TunNative.IfReq Request(string name)
    {
        var request = default(TunNative.IfReq);
        TunNative.SetName(ref request, name);
        return request;
    }

    private static void Control(string name, uint operation, void* argument, string what)
    {
        var fd = TunNative.Socket((int)AddressFamily.InterNetwork, (int)SocketType.Dgram | 0x80000, 0);
        if (fd < 0)
        {
            throw new TunException($"interface {name}: {what}: cannot open a control socket: {TunNative.Errno(Marshal.GetLastPInvokeError())}");
        }
        try
        {
            if (TunNative.Ioctl(fd, operation, argument) != 0)
            {
                throw new TunException($"interface {name}: {what} failed: {TunNative.Errno(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = TunNative.Close(fd);
        }
    }

    private static uint Mask(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);

    private static uint HostOrder(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
        }
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static uint NetworkOrder(IPAddress address) => BinaryPrimitives.ReverseEndianness(HostOrder(address));

    private static uint NetworkOrder(uint hostOrder) => BinaryPrimitives.ReverseEndianness(hostOrder);
}
