namespace Relay.DataPlane.Forwarding;

/// <summary>What one worker owns for forwarding: its index (its counter slot in every session), its drop counters and its fragment table.</summary>
public sealed class ForwardingWorkerState
{
    public ForwardingWorkerState(int index, FragmentTable fragments)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(fragments);
        Index = index;
        Fragments = fragments;
    }

    public int Index { get; }

    public DropCounters Drops { get; } = new();

    public FragmentTable Fragments { get; }
}
