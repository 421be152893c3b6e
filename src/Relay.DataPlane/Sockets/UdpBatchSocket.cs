using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Relay.DataPlane.Sockets;

/// <summary>
/// A UDP socket that moves datagrams in batches: one <c>recvmmsg</c> fills up to
/// <see cref="BatchSize"/> receive slots, one <c>sendmmsg</c> sends every queued datagram. All
/// buffers, iovecs and address slots are allocated once in native memory, so a batch costs two
/// system calls and no managed allocation. An eventfd in the same poll set lets another thread
/// wake a blocked <see cref="Receive"/> (for shutdown) without a timeout loop.
/// Not thread-safe: one thread owns it.
/// </summary>
public sealed unsafe class UdpBatchSocket : IDisposable
{
    private const int AddressSlot = 32;

    private readonly int _fd;
    private readonly int _wakeFd;
    private readonly int _family;
    private readonly int _slotLength;
    private readonly byte* _memory;
    private readonly Native.MMsgHdr* _receive;
    private readonly Native.MMsgHdr* _send;
    private readonly byte* _receiveBuffers;
    private readonly byte* _sendBuffers;
    private readonly byte* _receiveNames;
    private readonly byte* _sendNames;
    private int _received;
    private int _queued;
    private bool _disposed;

    private UdpBatchSocket(int fd, int wakeFd, int family, int batchSize, int slotLength)
    {
        _fd = fd;
        _wakeFd = wakeFd;
        _family = family;
        BatchSize = batchSize;
        _slotLength = slotLength;
        var headers = (nuint)(sizeof(Native.MMsgHdr) * batchSize);
        var iovecs = (nuint)(sizeof(Native.IoVec) * batchSize);
        var buffers = (nuint)(slotLength * batchSize);
        var names = (nuint)(AddressSlot * batchSize);
        var total = 2 * (headers + iovecs + buffers + names);
        _memory = (byte*)NativeMemory.AlignedAlloc(total, 64);
        NativeMemory.Clear(_memory, total);
        var at = _memory;
        _receive = (Native.MMsgHdr*)at; at += headers;
        _send = (Native.MMsgHdr*)at; at += headers;
        var receiveIov = (Native.IoVec*)at; at += iovecs;
        var sendIov = (Native.IoVec*)at; at += iovecs;
        _receiveBuffers = at; at += buffers;
        _sendBuffers = at; at += buffers;
        _receiveNames = at; at += names;
        _sendNames = at;
        for (var i = 0; i < batchSize; i++)
        {
            receiveIov[i].Base = _receiveBuffers + (i * slotLength);
            receiveIov[i].Length = (nuint)slotLength;
            _receive[i].Header.Iov = receiveIov + i;
            _receive[i].Header.IovLength = 1;
            _receive[i].Header.Name = _receiveNames + (i * AddressSlot);
            _receive[i].Header.NameLength = AddressSlot;
            sendIov[i].Base = _sendBuffers + (i * slotLength);
            _send[i].Header.Iov = sendIov + i;
            _send[i].Header.IovLength = 1;
            _send[i].Header.Name = _sendNames + (i * AddressSlot);
        }
    }

    public int BatchSize { get; }

    /// <summary>Largest datagram a slot holds; longer ones are truncated and counted.</summary>
    public int SlotLength => _slotLength;

    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>Datagrams longer than a slot (dropped by <see cref="Receive"/>).</summary>
    public long TruncatedDropped { get; private set; }

    /// <summary>Datagrams the kernel refused to send (e.g. no route); counted, not retried.</summary>
    public long SendErrors { get; private set; }

    /// <summary>
    /// Opens and binds a socket. An IPv6 wildcard address listens dual-stack. Throws
    /// <see cref="SocketException"/> naming the errno when the kernel refuses.
    /// </summary>
    public static UdpBatchSocket Bind(IPEndPoint endpoint, int batchSize = 64, int slotLength = 2048, bool reusePort = false, int socketBufferBytes = 4 << 20)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotLength, 64);
        var family = endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? Native.AF_INET6 : Native.AF_INET;
        var fd = Native.socket(family, Native.SOCK_DGRAM | Native.SOCK_NONBLOCK | Native.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw SocketErrno.LastError();
        }
        var wake = Native.eventfd(0, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC);
        if (wake < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            Native.close(fd);
            throw SocketErrno.FromErrno(error);
        }
        var socket = new UdpBatchSocket(fd, wake, family, batchSize, slotLength);
        try
        {
            // No SO_REUSEADDR: on UDP it would let a second relayd bind the same port silently.
            if (reusePort)
            {
                socket.SetOption(Native.SOL_SOCKET, Native.SO_REUSEPORT, 1);
            }
            if (family == Native.AF_INET6)
            {
                socket.SetOption(Native.IPPROTO_IPV6, Native.IPV6_V6ONLY, endpoint.Address.Equals(IPAddress.IPv6Any) ? 0 : 1);
            }
            // Best effort: the kernel caps these at net.core.[rw]mem_max without failing.
            socket.SetOption(Native.SOL_SOCKET, Native.SO_RCVBUF, socketBufferBytes);
            socket.SetOption(Native.SOL_SOCKET, Native.SO_SNDBUF, socketBufferBytes);
            Span<byte> address = stackalloc byte[AddressSlot];
            var length = UdpPeer.FromEndPoint(endpoint).Write(address, family);
            fixed (byte* a = address)
            {
                if (Native.bind(fd, a, (uint)length) != 0)
                {
                    throw SocketErrno.LastError();
                }
                var named = (uint)AddressSlot;
                Native.getsockname(fd, a, &named);
            }
            socket.LocalEndPoint = UdpPeer.Read(address).ToEndPoint();
            if (family == Native.AF_INET6 && endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.LocalEndPoint = new IPEndPoint(IPAddress.IPv6Any, socket.LocalEndPoint.Port);
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> (-1: forever) for datagrams or a <see cref="Wake"/>,
    /// then takes up to <see cref="BatchSize"/> in one call. Returns how many are readable through
    /// <see cref="Datagram"/> and <see cref="Source"/> until the next call.
    /// </summary>
    public int Receive(int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _received = 0;
        var count = Native.recvmmsg(_fd, _receive, (uint)BatchSize, Native.MSG_DONTWAIT, null);
        if (count <= 0)
        {
            if (timeoutMs == 0 || !WaitReadable(timeoutMs))
            {
                return 0;
            }
            count = Native.recvmmsg(_fd, _receive, (uint)BatchSize, Native.MSG_DONTWAIT, null);
            if (count <= 0)
            {
                return 0;
            }
        }
        // Truncated datagrams are compacted out so callers only see whole ones.
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if ((_receive[i].Header.Flags & Native.MSG_TRUNC) != 0)
            {
                TruncatedDropped++;
                continue;
            }
            if (kept != i)
            {
                Swap(kept, i);
            }
            kept++;
        }
        _received = kept;
        RearmReceive(count);
        return kept;
    }

    /// <summary>The <paramref name="index"/>-th datagram of the last <see cref="Receive"/>.</summary>
    public Span<byte> Datagram(int index)
    {
        if ((uint)index >= (uint)_received)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
        return new Span<byte>(_receive[index].Header.Iov->Base, (int)_receive[index].Length);
    }

    /// <summary>Who sent the <paramref name="index"/>-th datagram of the last <see cref="Receive"/>.</summary>
    public UdpPeer Source(int index)
    {
        if ((uint)index >= (uint)_received)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
        return UdpPeer.Read(new ReadOnlySpan<byte>(_receive[index].Header.Name, AddressSlot));
    }

    /// <summary>Datagrams queued for the next <see cref="Flush"/>.</summary>
    public int Queued => _queued;

    /// <summary>
    /// Copies <paramref name="payload"/> into the next send slot for <paramref name="destination"/>,
    /// flushing first when the batch is full. False when the payload does not fit a slot.
    /// </summary>
    public bool Enqueue(ReadOnlySpan<byte> payload, in UdpPeer destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (payload.Length > _slotLength || (destination.IsIPv6 && _family == Native.AF_INET))
        {
            SendErrors++;
            return false;
        }
        if (_queued == BatchSize)
        {
            Flush();
        }
        ref var slot = ref _send[_queued];
        payload.CopyTo(new Span<byte>(slot.Header.Iov->Base, _slotLength));
        slot.Header.Iov->Length = (nuint)payload.Length;
        slot.Header.NameLength = (uint)destination.Write(new Span<byte>(slot.Header.Name, AddressSlot), _family);
        _queued++;
        return true;
    }

    /// <summary>Sends every queued datagram with as few sendmmsg calls as the kernel allows.</summary>
    public void Flush()
    {
        var offset = 0;
        while (offset < _queued)
        {
            var sent = Native.sendmmsg(_fd, _send + offset, (uint)(_queued - offset), 0);
            if (sent < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Native.EINTR)
                {
                    continue;
                }
                if (errno == Native.EAGAIN && WaitWritable())
                {
                    continue;
                }
                // The datagram at the head is refused (e.g. unreachable): count it, go on with the rest.
                SendErrors++;
                sent = 1;
            }
            offset += sent;
        }
        _queued = 0;
    }

    /// <summary>Wakes a thread blocked in <see cref="Receive"/> (from any thread).</summary>
    public void Wake()
    {
        ulong one = 1;
        Native.write(_wakeFd, &one, sizeof(ulong));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Native.close(_fd);
        Native.close(_wakeFd);
        NativeMemory.AlignedFree(_memory);
    }

    private void SetOption(int level, int name, int value)
    {
        if (Native.setsockopt(_fd, level, name, &value, sizeof(int)) != 0)
        {
            throw SocketErrno.LastError();
        }
    }

    private bool WaitReadable(int timeoutMs)
    {
        var fds = stackalloc Native.PollFd[2];
        fds[0] = new Native.PollFd { Fd = _fd, Events = Native.POLLIN };
        fds[1] = new Native.PollFd { Fd = _wakeFd, Events = Native.POLLIN };
        var ready = Native.poll(fds, 2, timeoutMs);
        if (ready > 0 && fds[1].Revents != 0)
        {
            ulong drained;
            Native.read(_wakeFd, &drained, sizeof(ulong));
        }
        return ready > 0 && fds[0].Revents != 0;
    }

    private bool WaitWritable()
    {
        var fd = new Native.PollFd { Fd = _fd, Events = 0x4 /* POLLOUT */ };
        return Native.poll(&fd, 1, 100) > 0;
    }

    private void Swap(int a, int b)
    {
        // Exchange the slot bindings (buffer and address), not the bytes.
        (_receive[a], _receive[b]) = (_receive[b], _receive[a]);
    }

    private void RearmReceive(int used)
    {
        for (var i = 0; i < used; i++)
        {
            _receive[i].Header.NameLength = AddressSlot;
            _receive[i].Header.Flags = 0;
            _receive[i].Header.Iov->Length = (nuint)_slotLength;
        }
    }
}
