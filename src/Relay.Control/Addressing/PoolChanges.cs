namespace Relay.Control.Addressing;

/// <summary>What <see cref="LeaseTable.TryReconcile"/> did, by pool name (for the reload log and answer).</summary>
public sealed class PoolChanges
{
    public List<string> Added { get; } = [];

    public List<string> Changed { get; } = [];

    /// <summary>Gone from the configuration but still holding leases: no new leases, removed when empty.</summary>
    public List<string> Draining { get; } = [];

    public List<string> Removed { get; } = [];

    public override string ToString()
        => $"added [{string.Join(", ", Added)}], changed [{string.Join(", ", Changed)}], draining [{string.Join(", ", Draining)}], removed [{string.Join(", ", Removed)}]";
}
