using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Relay.DataPlane.Sockets;

/// <summary>Turns the errno of a failed libc socket call into the <see cref="SocketException"/> .NET callers expect.</summary>
internal static class SocketErrno
{
    public static SocketException LastError() => FromErrno(Marshal.GetLastPInvokeError());

    public static SocketException FromErrno(int errno) => new((int)(errno switch
    {
        1 or 13 => SocketError.AccessDenied,
        22 => SocketError.InvalidArgument,
        24 or 23 => SocketError.TooManyOpenSockets,
        97 => SocketError.AddressFamilyNotSupported,
        98 => SocketError.AddressAlreadyInUse,
        99 => SocketError.AddressNotAvailable,
        101 => SocketError.NetworkUnreachable,
        105 => SocketError.NoBufferSpaceAvailable,
        113 => SocketError.HostUnreachable,
        _ => SocketError.SocketError,
    }));
}
