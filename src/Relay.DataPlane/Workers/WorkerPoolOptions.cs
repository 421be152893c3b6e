using System.Net;

namespace Relay.DataPlane.Workers;

/// <summary>How <see cref="WorkerPool.Start"/> sets the data plane up.</summary>
public sealed record WorkerPoolOptions
{
    /// <summary>The L2TP endpoint every worker binds (SO_REUSEPORT); port 0 takes one ephemeral port for all.</summary>
    public required IPEndPoint Endpoint { get; init; }

    /// <summary>Worker threads (and sockets, and TUN queues).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Datagrams per recvmmsg/sendmmsg.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Largest datagram a worker sends or (without GRO) receives.</summary>
    public int SlotLength { get; init; } = 4096;

    public bool Gro { get; init; } = true;

    public bool Gso { get; init; } = true;

    /// <summary>SO_RCVBUF and SO_SNDBUF per socket (capped by net.core.[rw]mem_max).</summary>
    public int SocketBufferBytes { get; init; } = 8 << 20;

    /// <summary>Datagrams each worker's queue to the control loop holds.</summary>
    public int ControlQueueCapacity { get; init; } = 1024;

    /// <summary>First-fragment verdicts each worker remembers, and for how long.</summary>
    public int FragmentCapacity { get; init; } = 4096;

    public TimeSpan FragmentTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Pin each worker to one of the process's CPUs.</summary>
    public bool Pin { get; init; } = true;
}
