using System.Diagnostics;
using System.Net;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.DataPlane.Tun;

namespace Relay.DataPlane.Workers;

/// <summary>
/// The data plane of relayd: N <see cref="ForwardingWorker"/>s over one <see cref="ForwardingTable"/>
/// (which the control loop publishes), each with its own SO_REUSEPORT socket on the L2TP port (the
/// kernel hashes a tunnel's 4-tuple to one of them) and its own queue of a multi-queue TUN device.
/// The control loop waits on <see cref="WaitForControl"/>, drains every worker's
/// <see cref="ControlQueue"/>, and sends through <see cref="CreateControlSender"/>.
/// </summary>
public sealed unsafe class WorkerPool : IDisposable
{
    private readonly ForwardingWorker[] _workers;
    private readonly int _controlWakeFd;
    private bool _disposed;

    private WorkerPool(ForwardingWorker[] workers, int controlWakeFd, ForwardingTable table, TunDevice? tun)
    {
        _workers = workers;
        _controlWakeFd = controlWakeFd;
        Table = table;
        Tun = tun;
    }

    public ForwardingTable Table { get; }

    public TunDevice? Tun { get; }

    public IReadOnlyList<ForwardingWorker> Workers => _workers;

    public IPEndPoint LocalEndPoint => _workers[0].Socket.LocalEndPoint;

    /// <summary>
    /// Binds one socket per worker and starts the workers. <paramref name="tun"/> must have at least
    /// one queue per worker when given (the pool does not own it). Throws SocketException when binding fails.
    /// </summary>
    public static WorkerPool Start(WorkerPoolOptions options, ForwardingTable table, TunDevice? tun = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        if (tun is not null && tun.QueueCount < options.Workers)
        {
            throw new ArgumentException($"TUN {tun.Name} has {tun.QueueCount} queues for {options.Workers} workers", nameof(tun));
        }
        var wake = Native.eventfd(0, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC);
        if (wake < 0)
        {
            throw SocketErrno.LastError();
        }
        var cpus = options.Pin ? CpuAffinity.Allowed() : [];
        var workers = new List<ForwardingWorker>();
        var pool = default(WorkerPool);
        try
        {
            var endpoint = options.Endpoint;
            for (var i = 0; i < options.Workers; i++)
            {
                var socket = UdpBatchSocket.Bind(endpoint, options.BatchSize, options.SlotLength, reusePort: true,
                    options.SocketBufferBytes, headroom: Forwarder.MaxEncapsulation, options.Gro, options.Gso);
                endpoint = socket.LocalEndPoint; // port 0: the others join the first one's port
                var fragments = new FragmentTable(options.FragmentCapacity, (long)(options.FragmentTimeout.TotalSeconds * Stopwatch.Frequency));
                var control = new ControlQueue(options.ControlQueueCapacity, options.SlotLength);
                workers.Add(new ForwardingWorker(i, cpus.Length == 0 ? -1 : cpus[i % cpus.Length], socket, tun?.Queue(i), table, control,
                    fragments, wake));
            }
            pool = new WorkerPool([.. workers], wake, table, tun);
            foreach (var worker in workers)
            {
                worker.Start();
            }
            return pool;
        }
        catch
        {
            if (pool is not null)
            {
                pool.Dispose();
            }
            else
            {
                foreach (var worker in workers)
                {
                    worker.Dispose();
                }
                Native.close(wake);
            }
            throw;
        }
    }

    /// <summary>A send-only view of worker 0's socket for the control loop (its own slots; dispose it before the pool).</summary>
    public UdpBatchSocket CreateControlSender(int batchSize = 32) => _workers[0].Socket.CreateSender(batchSize);

    /// <summary>
    /// Control loop: waits up to <paramref name="timeoutMs"/> (-1: forever) until a worker queued
    /// something or <see cref="WakeControl"/> was called. True when woken, false on timeout.
    /// </summary>
    public bool WaitForControl(int timeoutMs)
    {
        var fd = new Native.PollFd { Fd = _controlWakeFd, Events = Native.POLLIN };
        if (Native.poll(&fd, 1, timeoutMs) <= 0)
        {
            return false;
        }
        ulong drained;
        Native.read(_controlWakeFd, &drained, sizeof(ulong));
        return true;
    }

    /// <summary>Wakes the control loop from any thread (shutdown, API commands).</summary>
    public void WakeControl() => SignalControl(_controlWakeFd);

    /// <summary>Sum of every worker's count for <paramref name="reason"/>.</summary>
    public long Drops(DropReason reason)
    {
        long total = 0;
        foreach (var worker in _workers)
        {
            total += worker.State.Drops.Read(reason);
        }
        return total;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var worker in _workers)
        {
            worker.Stop();
        }
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }
        Native.close(_controlWakeFd);
    }

    private static void SignalControl(int fd)
    {
        ulong one = 1;
        Native.write(fd, &one, sizeof(ulong));
    }
}
