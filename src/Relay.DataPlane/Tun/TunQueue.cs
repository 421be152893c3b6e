using System.Runtime.InteropServices;

namespace Relay.DataPlane.Tun;

/// <summary>
/// One queue of a TUN device: a non-blocking file descriptor that reads and writes whole IPv4/IPv6
/// packets (no packet-information prefix). Owned by one worker; never throws on the packet path.
/// </summary>
public sealed unsafe class TunQueue
{
    private int _fd;

    internal TunQueue(int fd, int index)
    {
        _fd = fd;
        Index = index;
    }

    /// <summary>For poll(2).</summary>
    public int Fd => _fd;

    public int Index { get; }

    /// <summary>Reads one packet: its length, 0 when none is waiting, or -errno.</summary>
    public int Read(Span<byte> packet)
    {
        nint n;
        fixed (byte* p = packet)
        {
            n = TunNative.Read(_fd, p, (nuint)packet.Length);
        }
        if (n >= 0)
        {
            return (int)n;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == TunNative.EAGAIN ? 0 : -errno;
    }

    /// <summary>Writes one packet: its length, 0 when the queue is full (EAGAIN), or -errno (EINVAL for a malformed packet, EIO when the interface is down).</summary>
    public int Write(ReadOnlySpan<byte> packet)
    {
        nint n;
        fixed (byte* p = packet)
        {
            n = TunNative.Write(_fd, p, (nuint)packet.Length);
        }
        if (n >= 0)
        {
            return (int)n;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == TunNative.EAGAIN ? 0 : -errno;
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for a packet to read (poll(2)); false on timeout. For single-queue users; workers poll their queue with their socket.</summary>
    public bool WaitReadable(int timeoutMs)
    {
        var poll = new TunNative.PollFd { Fd = _fd, Events = TunNative.POLLIN };
        int n;
        do
        {
            n = TunNative.Poll(&poll, 1, timeoutMs);
        }
        while (n < 0 && Marshal.GetLastPInvokeError() == TunNative.EINTR);
        return n > 0 && (poll.Revents & TunNative.POLLIN) != 0;
    }

    internal void Close()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = TunNative.Close(fd);
        }
    }
}
