using System.Diagnostics;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.DataPlane.Tun;

namespace Relay.DataPlane.Workers;

/// <summary>
/// One data-plane worker: a thread pinned to one CPU that owns one SO_REUSEPORT socket on the
/// L2TP port, optionally one TUN queue, one <see cref="ControlQueue"/> and its counters. Its loop:
/// poll(socket, TUN queue, wake) → recvmmsg → <see cref="Forwarder.FromPeer"/> per datagram →
/// sendmmsg straight from the receive slots (session to session), TUN writes (to the kernel) or
/// a copy into the control queue; then TUN reads → <see cref="Forwarder.FromKernel"/> → built in
/// a send slot → sendmmsg. The table snapshot is read once per batch. Nothing on this path
/// allocates, locks or throws.
/// </summary>
public sealed unsafe class ForwardingWorker : IDisposable
{
    private readonly UdpBatchSocket _socket;
    private readonly TunQueue? _tun;
    private readonly ForwardingTable _table;
    private readonly int _controlWakeFd;
    private readonly int _cpu;
    private readonly Thread _thread;
    private volatile bool _stop;

    internal ForwardingWorker(int index, int cpu, UdpBatchSocket socket, TunQueue? tun, ForwardingTable table, ControlQueue control,
        FragmentTable fragments, int controlWakeFd)
    {
        Index = index;
        _cpu = cpu;
        _socket = socket;
        _tun = tun;
        _table = table;
        Control = control;
        _controlWakeFd = controlWakeFd;
        State = new ForwardingWorkerState(index, fragments);
        _thread = new Thread(Run) { IsBackground = true, Name = $"dataplane-{index}" };
    }

    public int Index { get; }

    /// <summary>The CPU the worker is pinned to, or -1 when pinning failed (see <see cref="PinError"/>).</summary>
    public int Cpu { get; private set; } = -1;

    /// <summary>errno of a failed sched_setaffinity, else 0.</summary>
    public int PinError { get; private set; }

    /// <summary>Drop counters (by <see cref="DropReason"/>) and fragment table.</summary>
    public ForwardingWorkerState State { get; }

    public WorkerCounters Counters { get; } = new();

    public ControlQueue Control { get; }

    /// <summary>The worker's socket (send-only views for other threads: <see cref="UdpBatchSocket.CreateSender"/>).</summary>
    public UdpBatchSocket Socket => _socket;

    internal void Start() => _thread.Start();

    /// <summary>Stops the loop and waits for the thread; the caller disposes.</summary>
    internal void Stop()
    {
        _stop = true;
        _socket.Wake();
        _thread.Join();
    }

    public void Dispose() => _socket.Dispose();

    private void Run()
    {
        if (_cpu >= 0)
        {
            PinError = CpuAffinity.PinCurrentThread(_cpu);
            Cpu = PinError == 0 ? _cpu : -1;
        }
        var fds = stackalloc Native.PollFd[3];
        fds[0] = new Native.PollFd { Fd = _socket.Fd, Events = Native.POLLIN };
        fds[1] = new Native.PollFd { Fd = _socket.WakeFd, Events = Native.POLLIN };
        fds[2] = new Native.PollFd { Fd = _tun?.Fd ?? -1, Events = Native.POLLIN };
        var count = _tun is null ? 2 : 3;
        while (!_stop)
        {
            fds[0].Revents = fds[1].Revents = fds[2].Revents = 0;
            if (Native.poll(fds, (nuint)count, -1) <= 0)
            {
                continue;
            }
            if (fds[1].Revents != 0)
            {
                _socket.DrainWake();
            }
            // Drain what is waiting in bounded turns, so neither side starves the other.
            bool busy;
            do
            {
                busy = ProcessSocket();
                busy |= ProcessKernel();
            }
            while (busy && !_stop);
        }
    }

    /// <summary>One recvmmsg batch through the forwarder. True when the batch was full (more may wait).</summary>
    internal bool ProcessSocket()
    {
        var received = _socket.Receive(0);
        if (received == 0)
        {
            return false;
        }
        var table = _table.Current;
        var now = Stopwatch.GetTimestamp();
        var queuedControl = false;
        Counters.Batches++;
        for (var i = 0; i < received; i++)
        {
            var source = _socket.Source(i);
            var segment = _socket.SegmentSize(i);
            var buffer = _socket.ReceiveBuffer(i);
            var headroom = _socket.Headroom;
            var total = buffer.Length - headroom;
            if (segment == 0 || segment >= total)
            {
                queuedControl |= Forward(buffer, headroom, total, source, table, now, i);
                continue;
            }
            // A GRO train: the first datagram is forwarded in place; the others are copied into a
            // send slot first, since a header that grows in place would overwrite the datagram before.
            queuedControl |= Forward(buffer, headroom, segment, source, table, now, i);
            for (var offset = headroom + segment; offset < buffer.Length; offset += segment)
            {
                var length = Math.Min(segment, buffer.Length - offset);
                var slot = _socket.NextSendSlot();
                buffer.Slice(offset, length).CopyTo(slot[headroom..]);
                queuedControl |= Forward(slot, headroom, length, source, table, now, -1);
            }
        }
        _socket.Flush();
        if (queuedControl)
        {
            // One eventfd write per batch wakes the control loop (WorkerPool.WaitForControl).
            ulong one = 1;
            Native.write(_controlWakeFd, &one, sizeof(ulong));
        }
        return received == _socket.BatchSize;
    }

    /// <summary>
    /// Forwards one datagram at <c>buffer[start..]</c>: receive slot <paramref name="slot"/>, or the
    /// next send slot when <paramref name="slot"/> is -1. True when it went to the control queue.
    /// </summary>
    private bool Forward(Span<byte> buffer, int start, int length, in UdpPeer source, ForwardingSnapshot table, long now, int slot)
    {
        Counters.ReceivedPackets++;
        Counters.ReceivedBytes += length;
        switch (Forwarder.FromPeer(buffer, start, length, source, table, State, now, out var result))
        {
            case ForwardVerdict.ToSession:
                Counters.SessionPackets++;
                Counters.SessionBytes += result.Length;
                if (slot >= 0)
                {
                    _socket.EnqueueReceived(slot, result.Start, result.Length, result.Target!.Peer);
                }
                else
                {
                    _socket.CommitSend(result.Start, result.Length, result.Target!.Peer);
                }
                return false;
            case ForwardVerdict.ToKernel:
                WriteKernel(buffer.Slice(result.Start, result.Length));
                return false;
            case ForwardVerdict.ToControl:
                if (Control.TryEnqueue(buffer.Slice(result.Start, result.Length), source))
                {
                    Counters.ControlPackets++;
                    return true;
                }
                State.Drops.Increment(DropReason.ControlQueueFull);
                return false;
            default:
                return false;
        }
    }

    private void WriteKernel(ReadOnlySpan<byte> packet)
    {
        if (_tun is not null && _tun.Write(packet) > 0)
        {
            Counters.KernelPackets++;
            Counters.KernelBytes += packet.Length;
            return;
        }
        State.Drops.Increment(DropReason.KernelWriteFailed);
    }

    /// <summary>Up to one batch of packets from the TUN queue, each wrapped in its send slot. True when the batch was full.</summary>
    internal bool ProcessKernel()
    {
        if (_tun is null)
        {
            return false;
        }
        var table = _table.Current;
        var now = Stopwatch.GetTimestamp();
        var headroom = Forwarder.MaxEncapsulation;
        var read = 0;
        for (; read < _socket.BatchSize; read++)
        {
            var slot = _socket.NextSendSlot();
            var length = _tun.Read(slot[headroom..]);
            if (length <= 0)
            {
                break;
            }
            Counters.FromKernelPackets++;
            if (Forwarder.FromKernel(slot, headroom, length, table, State, now, out var result) == ForwardVerdict.ToSession)
            {
                Counters.SessionPackets++;
                Counters.SessionBytes += result.Length;
                _socket.CommitSend(result.Start, result.Length, result.Target!.Peer);
            }
        }
        _socket.Flush();
        return read == _socket.BatchSize;
    }
}
