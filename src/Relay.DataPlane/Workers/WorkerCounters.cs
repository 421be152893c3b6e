namespace Relay.DataPlane.Workers;

/// <summary>
/// What one worker moved, by way (drops are in the worker's <see cref="Forwarding.DropCounters"/>).
/// Written by the worker only (plain increments); read from any thread, each count whole.
/// </summary>
public sealed class WorkerCounters
{
    internal long ReceivedPackets;
    internal long ReceivedBytes;
    internal long SessionPackets;
    internal long SessionBytes;
    internal long KernelPackets;
    internal long KernelBytes;
    internal long FromKernelPackets;
    internal long ControlPackets;
    internal long Batches;

    /// <summary>Datagrams read from the L2TP socket (GRO trains counted per datagram).</summary>
    public long Received => Volatile.Read(ref ReceivedPackets);

    public long ReceivedOctets => Volatile.Read(ref ReceivedBytes);

    /// <summary>Datagrams sent to a session's peer (from another session or from the kernel).</summary>
    public long ToSession => Volatile.Read(ref SessionPackets);

    public long ToSessionOctets => Volatile.Read(ref SessionBytes);

    /// <summary>Inner packets written to TUN.</summary>
    public long ToKernel => Volatile.Read(ref KernelPackets);

    public long ToKernelOctets => Volatile.Read(ref KernelBytes);

    /// <summary>Packets read from TUN.</summary>
    public long FromKernel => Volatile.Read(ref FromKernelPackets);

    /// <summary>Datagrams queued to the control loop.</summary>
    public long ToControl => Volatile.Read(ref ControlPackets);

    /// <summary>recvmmsg calls that returned datagrams.</summary>
    public long ReceiveBatches => Volatile.Read(ref Batches);
}
