using System.Runtime.InteropServices;

namespace Relay.DataPlane.Tun;

/// <summary>
/// open/ioctl and the Linux x86-64/arm64 layouts of <c>struct ifreq</c> (40 octets: name, then a
/// union at 16) and <c>struct rtentry</c> that the TUN driver and the legacy interface ioctls take.
/// </summary>
internal static unsafe partial class TunNative
{
    public const int O_RDWR = 0x2;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;

    public const short IFF_UP = 0x1;
    public const short IFF_TUN = 0x0001;
    public const short IFF_MULTI_QUEUE = 0x0100;
    public const short IFF_NO_PI = 0x1000;

    public const uint TUNSETIFF = 0x400454ca;
    public const uint SIOCADDRT = 0x890B;
    public const uint SIOCDELRT = 0x890C;
    public const uint SIOCGIFFLAGS = 0x8913;
    public const uint SIOCSIFFLAGS = 0x8914;
    public const uint SIOCSIFADDR = 0x8916;
    public const uint SIOCSIFDSTADDR = 0x8918;
    public const uint SIOCSIFNETMASK = 0x891C;
    public const uint SIOCSIFMTU = 0x8922;
    public const uint SIOCGIFINDEX = 0x8933;

    public const ushort RTF_UP = 0x1;
    public const ushort RTF_HOST = 0x4;

    public const int IfNameSize = 16;
    public const int EAGAIN = 11;
    public const int EINTR = 4;

    public const short POLLIN = 0x1;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [StructLayout(LayoutKind.Explicit, Size = 40)]
    public struct IfReq
    {
        [FieldOffset(0)] public fixed byte Name[IfNameSize];
        [FieldOffset(16)] public short Flags;
        [FieldOffset(16)] public int Value;
        [FieldOffset(16)] public SockAddrIn Address;
    }

    [StructLayout(LayoutKind.Sequential, Size = 16)]
    public struct SockAddrIn
    {
        public ushort Family;
        public ushort Port;
        public uint Address; // network order

        public static SockAddrIn Ipv4(uint networkOrderAddress) => new() { Family = 2, Address = networkOrderAddress };
    }

    [StructLayout(LayoutKind.Explicit, Size = 120)]
    public struct RtEntry
    {
        [FieldOffset(8)] public SockAddrIn Destination;
        [FieldOffset(24)] public SockAddrIn Gateway;
        [FieldOffset(40)] public SockAddrIn GenMask;
        [FieldOffset(56)] public ushort Flags;
        [FieldOffset(80)] public short Metric;
        [FieldOffset(88)] public byte* Device;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    /// <summary>Writes <paramref name="name"/> into an ifreq, refusing what the kernel would truncate.</summary>
    public static void SetName(ref IfReq request, string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length >= IfNameSize)
        {
            throw new TunException($"interface name \"{name}\" must be 1 to {IfNameSize - 1} characters");
        }
        fixed (byte* target = request.Name)
        {
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (c <= ' ' || c > '~' || c == '/' || c == ':')
                {
                    throw new TunException($"interface name \"{name}\" contains '{c}'");
                }
                target[i] = (byte)c;
            }
            target[name.Length] = 0;
        }
    }

    public static string Errno(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
