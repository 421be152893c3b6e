using System.Net.Sockets;

namespace Relay.Server.Api;

/// <summary>
/// Prepares <c>control.socket</c> for binding: the parent directory is created with mode 0755, and a
/// socket file left by a relayd that died is removed; a live one (it accepts a connection) is not, so
/// two relayd never share a socket. After binding, <see cref="Restrict"/> makes the socket 0600
/// (connect(2) needs write permission: only root, the owner, can talk to the API).
/// </summary>
internal static class UnixSocketPath
{
    public static void Prepare(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("control.socket needs Unix file modes");
        }
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        var info = new FileInfo(path);
        if (!info.Exists && info.LinkTarget is null)
        {
            return;
        }
        if ((info.Attributes & FileAttributes.Directory) != 0)
        {
            throw new IOException($"control.socket {path} is a directory");
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.InvalidArgument)
        {
            File.Delete(path); // stale: nobody listens
            return;
        }
        throw new IOException($"control.socket {path} is in use by a running process (another relayd?)");
    }

    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("control.socket needs Unix file modes");
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
