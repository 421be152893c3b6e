namespace Relay.DataPlane.Bpf;

/// <summary>The kernel program's counters, summed over CPUs at one moment.</summary>
public sealed class FastPathCounters
{
    internal FastPathCounters(long[] drops, long[] passes, long transmitted, long redirected, long passed, long dropped)
    {
        Drops = drops;
        Passes = passes;
        Transmitted = transmitted;
        Redirected = redirected;
        Passed = passed;
        Dropped = dropped;
    }

    /// <summary>Indexed by <see cref="DropReason"/>: the same numbering as the user-space counters.</summary>
    public IReadOnlyList<long> Drops { get; }

    /// <summary>Indexed by <see cref="FastPathPass"/>.</summary>
    public IReadOnlyList<long> Passes { get; }

    /// <summary>Forwarded back out the interface they came in on (XDP_TX, or tc redirect to it).</summary>
    public long Transmitted { get; }

    /// <summary>Forwarded out another interface.</summary>
    public long Redirected { get; }

    public long Forwarded => Transmitted + Redirected;

    /// <summary>Left to the stack and user space.</summary>
    public long Passed { get; }

    public long Dropped { get; }

    public long Drop(DropReason reason) => Drops[(int)reason];

    public long Pass(FastPathPass reason) => Passes[(int)reason];
}
