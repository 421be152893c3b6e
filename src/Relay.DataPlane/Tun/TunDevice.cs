using System.Runtime.InteropServices;

namespace Relay.DataPlane.Tun;

/// <summary>
/// A layer-3 TUN interface (IFF_TUN | IFF_NO_PI) with one non-blocking queue per worker
/// (IFF_MULTI_QUEUE when more than one, so the kernel spreads flows over the queues). The
/// interface is not persistent: it disappears when the last queue closes, so a crashed process
/// leaves nothing behind. It is created in the network namespace of the calling thread.
/// </summary>
public sealed unsafe class TunDevice : IDisposable
{
    private const string CloneDevice = "/dev/net/tun";

    private readonly TunQueue[] _queues;

    private TunDevice(string name, TunQueue[] queues)
    {
        Name = name;
        _queues = queues;
    }

    /// <summary>The interface name the kernel gave (the one asked for, or the kernel's choice for a pattern like "relay%d").</summary>
    public string Name { get; }

    public int QueueCount => _queues.Length;

    public TunQueue Queue(int index) => _queues[index];

    /// <summary>Creates (or attaches to) TUN interface <paramref name="name"/> with <paramref name="queues"/> queues.</summary>
    public static TunDevice Open(string name, int queues = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queues, 1);
        var flags = (short)(TunNative.IFF_TUN | TunNative.IFF_NO_PI | (queues > 1 ? TunNative.IFF_MULTI_QUEUE : 0));
        var opened = new TunQueue[queues];
        var actualName = name;
        try
        {
            for (var i = 0; i < queues; i++)
            {
                var fd = TunNative.Open(CloneDevice, TunNative.O_RDWR | TunNative.O_NONBLOCK | TunNative.O_CLOEXEC);
                if (fd < 0)
                {
                    throw new TunException($"tun {name}: cannot open {CloneDevice}: {TunNative.Errno(Marshal.GetLastPInvokeError())}");
                }
                var request = default(TunNative.IfReq);
                TunNative.SetName(ref request, actualName);
                request.Flags = flags;
                if (TunNative.Ioctl(fd, TunNative.TUNSETIFF, &request) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    _ = TunNative.Close(fd);
                    throw new TunException($"tun {actualName}: TUNSETIFF (queue {i} of {queues}) failed: {TunNative.Errno(errno)}" +
                        (errno == 16 ? "; the interface exists with other flags or is in use" : ""));
                }
                actualName = Marshal.PtrToStringUTF8((nint)request.Name) ?? actualName;
                opened[i] = new TunQueue(fd, i);
            }
        }
        catch
        {
            foreach (var queue in opened)
            {
                queue?.Close();
            }
            throw;
        }
        return new TunDevice(actualName, opened);
    }

    public void Dispose()
    {
        foreach (var queue in _queues)
        {
            queue.Close();
        }
    }
}
