using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Relay.Topology;

/// <summary>
/// Sockets that live in a namespace while the test process stays outside it: a socket keeps the
/// network namespace of the thread that created it, so a dedicated thread switches into the
/// namespace (setns), creates and binds the socket, and switches back before it ends.
/// </summary>
public static partial class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;
    private const int OpenReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    /// <summary>A UDP socket bound to <paramref name="local"/> inside <paramref name="ns"/>.</summary>
    public static Socket OpenUdp(NetworkNamespace ns, IPEndPoint local)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(local);
        return CreateInside(ns, () =>
        {
            var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(local);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });
    }

    /// <summary>Runs <paramref name="create"/> on a fresh thread that has joined the namespace; returns what it made.</summary>
    public static T CreateInside<T>(NetworkNamespace ns, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(create);
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = CreateOnThisThread(ns.Name, create);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = $"netns {ns.Name}" };
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InvalidOperationException($"cannot create inside {ns.Name}: {failure.Message}", failure);
    }

    private static T CreateOnThisThread<T>(string name, Func<T> create)
    {
        var original = Open("/proc/thread-self/ns/net");
        try
        {
            var target = Open($"/run/netns/{name}");
            try
            {
                Enter(target, name);
            }
            finally
            {
                _ = Close(target);
            }
            try
            {
                return create();
            }
            finally
            {
                Enter(original, "the original namespace");
            }
        }
        finally
        {
            _ = Close(original);
        }
    }

    private static int Open(string path)
    {
        var fd = OpenFile(path, OpenReadOnlyCloseOnExec);
        return fd >= 0 ? fd : throw new IOException($"open {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    private static void Enter(int fd, string what)
    {
        if (SetNamespace(fd, CloneNewNet) != 0)
        {
            throw new IOException($"setns into {what}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int type);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
