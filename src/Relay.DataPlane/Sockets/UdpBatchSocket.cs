using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Relay.DataPlane.Sockets;

/// <summary>
/// A UDP socket that moves datagrams in batches: one <c>recvmmsg</c> fills up to
/// <see cref="BatchSize"/> receive slots, one <c>sendmmsg</c> sends every queued datagram. All
/// buffers, iovecs, address and control slots are allocated once in native memory, so a batch
/// costs two system calls and no managed allocation. Each receive slot keeps
/// <see cref="Headroom"/> octets free before the datagram so that a forwarder may grow its header
/// in place, and a received datagram can be queued for sending straight from its receive slot
/// (<see cref="EnqueueReceived"/>: no copy). With GRO (UDP_GRO, Linux 5.0) one slot may hold a
/// train of same-size datagrams (<see cref="SegmentSize"/>); with GSO (UDP_SEGMENT, Linux 4.18)
/// <see cref="Flush"/> sends a run of same-size datagrams to one destination as one message.
/// An eventfd in the same poll set lets another thread wake a blocked <see cref="Receive"/> (for
/// shutdown) without a timeout loop. Not thread-safe: one thread owns it (a second thread sends
/// through its own <see cref="CreateSender"/> view of the same socket).
/// </summary>
public sealed unsafe class UdpBatchSocket : IDisposable
{
    private const int AddressSlot = 32;

    // One cmsghdr (16) + an int, rounded: enough for UDP_GRO on receive and UDP_SEGMENT on send.
    private const int ControlSlot = 32;

    /// <summary>The largest UDP payload a GRO train can hold.</summary>
    public const int MaxGroLength = 65535;

    private readonly int _fd;
    private readonly int _wakeFd;
    private readonly bool _ownsFd;
    private readonly int _family;
    private readonly int _slotLength;
    private readonly int _sendSlotLength;
    private readonly bool _gso;
    private readonly byte* _memory;
    private readonly Native.MMsgHdr* _receive;
    private readonly Native.MMsgHdr* _send;
    private readonly Native.MMsgHdr* _coalesced;
    private readonly Native.IoVec* _sendIov;
    private readonly byte* _receiveBuffers;
    private readonly byte* _sendBuffers;
    private readonly byte* _receiveNames;
    private readonly byte* _sendNames;
    private readonly byte* _receiveControl;
    private readonly byte* _sendControl;
    private readonly int* _segmentSizes;
    private int _received;
    private int _queued;
    private bool _disposed;

    private UdpBatchSocket(int fd, int wakeFd, bool ownsFd, int family, int batchSize, int slotLength, int headroom, int sendSlotLength, bool gro, bool gso)
    {
        _fd = fd;
        _wakeFd = wakeFd;
        _ownsFd = ownsFd;
        _family = family;
        BatchSize = batchSize;
        _slotLength = slotLength;
        _sendSlotLength = sendSlotLength;
        Headroom = headroom;
        Gro = gro;
        _gso = gso;
        var headers = (nuint)(sizeof(Native.MMsgHdr) * batchSize);
        var iovecs = (nuint)(sizeof(Native.IoVec) * batchSize);
        var receiveBuffers = (nuint)((headroom + slotLength) * batchSize);
        var sendBuffers = (nuint)(sendSlotLength * batchSize);
        var names = (nuint)(AddressSlot * batchSize);
        var controls = (nuint)(ControlSlot * batchSize);
        var total = (3 * headers) + (2 * (iovecs + names + controls)) + receiveBuffers + sendBuffers + (nuint)(sizeof(int) * batchSize);
        _memory = (byte*)NativeMemory.AlignedAlloc(total, 64);
        NativeMemory.Clear(_memory, total);
        var at = _memory;
        _receive = (Native.MMsgHdr*)at; at += headers;
        _send = (Native.MMsgHdr*)at; at += headers;
        _coalesced = (Native.MMsgHdr*)at; at += headers;
        var receiveIov = (Native.IoVec*)at; at += iovecs;
        _sendIov = (Native.IoVec*)at; at += iovecs;
        _receiveNames = at; at += names;
        _sendNames = at; at += names;
        _receiveControl = at; at += controls;
        _sendControl = at; at += controls;
        _segmentSizes = (int*)at; at += sizeof(int) * batchSize;
        _receiveBuffers = at; at += receiveBuffers;
        _sendBuffers = at;
        for (var i = 0; i < batchSize; i++)
        {
            receiveIov[i].Base = _receiveBuffers + (i * (headroom + slotLength)) + headroom;
            receiveIov[i].Length = (nuint)slotLength;
            _receive[i].Header.Iov = receiveIov + i;
            _receive[i].Header.IovLength = 1;
            _receive[i].Header.Name = _receiveNames + (i * AddressSlot);
            _receive[i].Header.NameLength = AddressSlot;
            if (gro)
            {
                _receive[i].Header.Control = _receiveControl + (i * ControlSlot);
                _receive[i].Header.ControlLength = ControlSlot;
            }
            _sendIov[i].Base = _sendBuffers + (i * sendSlotLength);
            _send[i].Header.Iov = _sendIov + i;
            _send[i].Header.IovLength = 1;
            _send[i].Header.Name = _sendNames + (i * AddressSlot);
        }
    }

    public int BatchSize { get; }

    /// <summary>Largest datagram (or GRO train) a receive slot holds; longer ones are truncated and counted.</summary>
    public int SlotLength => _slotLength;

    /// <summary>Octets kept free before each received datagram (see <see cref="ReceiveBuffer"/>).</summary>
    public int Headroom { get; }

    /// <summary>Largest datagram a send slot holds (<see cref="Enqueue"/>, <see cref="NextSendSlot"/>).</summary>
    public int SendSlotLength => _sendSlotLength;

    /// <summary>UDP_GRO is on: a received slot may hold several datagrams of <see cref="SegmentSize"/> octets.</summary>
    public bool Gro { get; }

    /// <summary>UDP_SEGMENT is used for runs of same-size datagrams to one destination.</summary>
    public bool Gso => _gso;

    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>Datagrams longer than a slot (dropped by <see cref="Receive"/>).</summary>
    public long TruncatedDropped { get; private set; }

    /// <summary>Datagrams the kernel refused to send (e.g. no route); counted, not retried.</summary>
    public long SendErrors { get; private set; }

    /// <summary>sendmmsg messages that carried a GSO run of more than one datagram.</summary>
    public long GsoMessages { get; private set; }

    /// <summary>Received slots that held a GRO train of more than one datagram.</summary>
    public long GroTrains { get; private set; }

    internal int Fd => _fd;

    internal int WakeFd => _wakeFd;

    /// <summary>
    /// Opens and binds a socket. An IPv6 wildcard address listens dual-stack. Throws
    /// <see cref="SocketException"/> naming the errno when the kernel refuses. With
    /// <paramref name="gro"/> the receive slots are <see cref="MaxGroLength"/> long whatever
    /// <paramref name="slotLength"/> says (send slots keep <paramref name="slotLength"/>).
    /// </summary>
    public static UdpBatchSocket Bind(IPEndPoint endpoint, int batchSize = 64, int slotLength = 2048, bool reusePort = false,
        int socketBufferBytes = 4 << 20, int headroom = 0, bool gro = false, bool gso = false)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotLength, 64);
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
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
        var receiveSlot = gro ? Math.Max(slotLength, MaxGroLength) : slotLength;
        var socket = new UdpBatchSocket(fd, wake, ownsFd: true, family, batchSize, receiveSlot, headroom, headroom + slotLength, gro, gso);
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
            if (gro)
            {
                socket.SetOption(Native.SOL_UDP, Native.UDP_GRO, 1);
            }
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
    /// A second, send-only view of this socket with its own send slots, for another thread (the
    /// control loop sends through a worker's socket: sendmmsg on one fd from two threads is safe).
    /// It does not own the fd: dispose it before this socket.
    /// </summary>
    public UdpBatchSocket CreateSender(int batchSize = 16)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new UdpBatchSocket(_fd, -1, ownsFd: false, _family, batchSize, 64, 0, _sendSlotLength, gro: false, _gso)
        {
            LocalEndPoint = LocalEndPoint,
        };
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> (-1: forever) for datagrams or a <see cref="Wake"/>,
    /// then takes up to <see cref="BatchSize"/> in one call. Returns how many are readable through
    /// <see cref="Datagram"/> and <see cref="Source"/> until the next call. Datagrams queued with
    /// <see cref="EnqueueReceived"/> must be flushed first (their bytes live in the receive slots).
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
            var segment = Gro ? ReadGroSize(ref _receive[kept].Header) : 0;
            _segmentSizes[kept] = segment;
            if (segment > 0 && _receive[kept].Length > (uint)segment)
            {
                GroTrains++;
            }
            kept++;
        }
        _received = kept;
        RearmReceive(count);
        return kept;
    }

    /// <summary>The <paramref name="index"/>-th datagram (or GRO train) of the last <see cref="Receive"/>.</summary>
    public Span<byte> Datagram(int index)
    {
        CheckReceived(index);
        return new Span<byte>(_receive[index].Header.Iov->Base, (int)_receive[index].Length);
    }

    /// <summary>
    /// The <paramref name="index"/>-th receive slot from its very first octet to the end of the
    /// datagram: the datagram starts at <see cref="Headroom"/>. A forwarder may write into the headroom.
    /// </summary>
    public Span<byte> ReceiveBuffer(int index)
    {
        CheckReceived(index);
        return new Span<byte>((byte*)_receive[index].Header.Iov->Base - Headroom, Headroom + (int)_receive[index].Length);
    }

    /// <summary>
    /// With GRO: the size of each datagram in the <paramref name="index"/>-th slot (the last may be
    /// shorter), or 0 when the slot holds one datagram.
    /// </summary>
    public int SegmentSize(int index)
    {
        CheckReceived(index);
        return _segmentSizes[index];
    }

    /// <summary>Who sent the <paramref name="index"/>-th datagram of the last <see cref="Receive"/>.</summary>
    public UdpPeer Source(int index)
    {
        CheckReceived(index);
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
        if (payload.Length > _sendSlotLength || !CanReach(destination))
        {
            SendErrors++;
            return false;
        }
        var slot = NextSendSlot();
        payload.CopyTo(slot);
        CommitSend(0, payload.Length, destination);
        return true;
    }

    /// <summary>
    /// The next free send slot (flushing first when the batch is full), to build a datagram in
    /// place; <see cref="CommitSend"/> queues it. Until then the slot is not queued.
    /// </summary>
    public Span<byte> NextSendSlot()
    {
        if (_queued == BatchSize)
        {
            Flush();
        }
        return new Span<byte>(_sendBuffers + (_queued * _sendSlotLength), _sendSlotLength);
    }

    /// <summary>Queues <c>[start, start + length)</c> of the slot <see cref="NextSendSlot"/> returned.</summary>
    public void CommitSend(int start, int length, in UdpPeer destination)
    {
        if ((uint)start > (uint)_sendSlotLength || (uint)length > (uint)(_sendSlotLength - start) || !CanReach(destination))
        {
            SendErrors++;
            return;
        }
        Queue(_sendBuffers + (_queued * _sendSlotLength) + start, length, destination);
    }

    /// <summary>
    /// Queues <c>[start, start + length)</c> of <see cref="ReceiveBuffer"/>(<paramref name="index"/>)
    /// for sending without copying it. Flush before the next <see cref="Receive"/>.
    /// </summary>
    public void EnqueueReceived(int index, int start, int length, in UdpPeer destination)
    {
        CheckReceived(index);
        var slotLength = Headroom + (int)_receive[index].Length;
        if ((uint)start > (uint)slotLength || (uint)length > (uint)(slotLength - start) || !CanReach(destination))
        {
            SendErrors++;
            return;
        }
        if (_queued == BatchSize)
        {
            Flush();
        }
        Queue((byte*)_receive[index].Header.Iov->Base - Headroom + start, length, destination);
    }

    /// <summary>
    /// Sends every queued datagram with as few sendmmsg calls as the kernel allows; with GSO a run
    /// of datagrams of one size to one destination goes as one message with UDP_SEGMENT (the
    /// kernel splits it again, RFC-visible behaviour is unchanged).
    /// </summary>
    public void Flush()
    {
        if (_queued == 0)
        {
            return;
        }
        var messages = _send;
        var count = _queued;
        if (_gso && _queued > 1)
        {
            count = Coalesce();
            messages = _coalesced;
        }
        var offset = 0;
        while (offset < count)
        {
            var sent = Native.sendmmsg(_fd, messages + offset, (uint)(count - offset), 0);
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
                // The message at the head is refused (e.g. unreachable): count its datagrams, go on with the rest.
                SendErrors += (long)messages[offset].Header.IovLength;
                sent = 1;
            }
            offset += sent;
        }
        _queued = 0;
    }

    /// <summary>Wakes a thread blocked in <see cref="Receive"/> (from any thread).</summary>
    public void Wake()
    {
        if (_wakeFd < 0)
        {
            return;
        }
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
        if (_ownsFd)
        {
            Native.close(_fd);
        }
        if (_wakeFd >= 0)
        {
            Native.close(_wakeFd);
        }
        NativeMemory.AlignedFree(_memory);
    }

    private bool CanReach(in UdpPeer destination) => !(destination.IsIPv6 && _family == Native.AF_INET);

    private void Queue(byte* data, int length, in UdpPeer destination)
    {
        ref var slot = ref _send[_queued];
        slot.Header.Iov->Base = data;
        slot.Header.Iov->Length = (nuint)length;
        slot.Header.NameLength = (uint)destination.Write(new Span<byte>(slot.Header.Name, AddressSlot), _family);
        _queued++;
    }

    /// <summary>
    /// Builds <see cref="_coalesced"/>: consecutive queued datagrams with one destination and one
    /// length (the last of a run may be shorter) share a message whose iovecs the kernel joins and
    /// splits at the segment size (UDP_SEGMENT). At most 64 segments per message (UDP_MAX_SEGMENTS).
    /// </summary>
    private int Coalesce()
    {
        var count = 0;
        var i = 0;
        while (i < _queued)
        {
            var size = _send[i].Header.Iov->Length;
            var j = i + 1;
            var total = size;
            while (j < _queued && j - i < Native.UdpMaxSegments
                   && _send[j].Header.Iov->Length <= size
                   && total + _send[j].Header.Iov->Length <= MaxGroLength - 8
                   && SameName(ref _send[i].Header, ref _send[j].Header))
            {
                total += _send[j].Header.Iov->Length;
                var shorter = _send[j].Header.Iov->Length < size;
                j++;
                if (shorter)
                {
                    break; // only the last segment may be shorter
                }
            }
            ref var message = ref _coalesced[count];
            message.Header = _send[i].Header;
            message.Header.Iov = _sendIov + i;
            message.Header.IovLength = (nuint)(j - i);
            if (j - i > 1)
            {
                var control = _sendControl + (count * ControlSlot);
                var header = (Native.CMsgHdr*)control;
                header->Length = (nuint)(sizeof(Native.CMsgHdr) + sizeof(ushort));
                header->Level = Native.SOL_UDP;
                header->Type = Native.UDP_SEGMENT;
                *(ushort*)(control + sizeof(Native.CMsgHdr)) = (ushort)size;
                message.Header.Control = control;
                message.Header.ControlLength = (nuint)(sizeof(Native.CMsgHdr) + 8);
                GsoMessages++;
            }
            else
            {
                message.Header.Control = null;
                message.Header.ControlLength = 0;
            }
            count++;
            i = j;
        }
        return count;
    }

    private static bool SameName(ref Native.MsgHdr a, ref Native.MsgHdr b)
        => a.NameLength == b.NameLength
           && new ReadOnlySpan<byte>(a.Name, (int)a.NameLength).SequenceEqual(new ReadOnlySpan<byte>(b.Name, (int)b.NameLength));

    private static int ReadGroSize(ref Native.MsgHdr header)
    {
        if (header.ControlLength < (nuint)sizeof(Native.CMsgHdr))
        {
            return 0;
        }
        var cmsg = (Native.CMsgHdr*)header.Control;
        if (cmsg->Level != Native.SOL_UDP || cmsg->Type != Native.UDP_GRO)
        {
            return 0;
        }
        var size = *(int*)((byte*)cmsg + sizeof(Native.CMsgHdr));
        return size > 0 ? size : 0;
    }

    private void CheckReceived(int index)
    {
        if ((uint)index >= (uint)_received)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
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
            DrainWake();
        }
        return ready > 0 && fds[0].Revents != 0;
    }

    internal void DrainWake()
    {
        ulong drained;
        Native.read(_wakeFd, &drained, sizeof(ulong));
    }

    private bool WaitWritable()
    {
        var fd = new Native.PollFd { Fd = _fd, Events = 0x4 /* POLLOUT */ };
        return Native.poll(&fd, 1, 100) > 0;
    }

    private void Swap(int a, int b)
    {
        // Exchange the slot bindings (buffer, address and control), not the bytes.
        (_receive[a], _receive[b]) = (_receive[b], _receive[a]);
    }

    private void RearmReceive(int used)
    {
        for (var i = 0; i < used; i++)
        {
            _receive[i].Header.NameLength = AddressSlot;
            _receive[i].Header.Flags = 0;
            _receive[i].Header.Iov->Length = (nuint)_slotLength;
            if (Gro)
            {
                _receive[i].Header.ControlLength = ControlSlot;
            }
        }
    }
}
