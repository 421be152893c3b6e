using System.Runtime.CompilerServices;

namespace Relay.DataPlane.Forwarding;

/// <summary>
/// An immutable view of the forwarding table. The control loop builds one per publish
/// (<see cref="ForwardingTable.Publish"/>); a worker reads <see cref="ForwardingTable.Current"/>
/// once per batch and uses that object for the whole batch, so a batch never sees half a change.
/// </summary>
public sealed class ForwardingSnapshot
{
    private readonly ForwardingEntry?[] _buckets;
    private readonly int _shift;
    private readonly AddressIndex[] _pools;

    internal ForwardingSnapshot(long version, ForwardingEntry?[] buckets, AddressIndex[] pools, int count,
        ForwardingPolicy policy, bool kernelRoute)
    {
        Version = version;
        _buckets = buckets;
        _shift = 32 - System.Numerics.BitOperations.Log2((uint)buckets.Length);
        _pools = pools;
        Count = count;
        Policy = policy;
        KernelRoute = kernelRoute;
    }

    /// <summary>Increases by one with every publish.</summary>
    public long Version { get; }

    /// <summary>Sessions in the table, ready or not.</summary>
    public int Count { get; }

    public ForwardingPolicy Policy { get; }

    /// <summary>The hash slots (null where empty): every session once, for the fast-path map sync.</summary>
    internal ReadOnlySpan<ForwardingEntry?> Slots => _buckets;

    /// <summary>Inner destinations outside every pool go to the kernel (TUN); without it they are dropped (NoRoute).</summary>
    public bool KernelRoute { get; }

    /// <summary>The session a data message with these (local) ids belongs to, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ForwardingEntry? Find(ushort tunnelId, ushort sessionId)
    {
        var key = (uint)tunnelId << 16 | sessionId;
        var buckets = _buckets;
        var mask = buckets.Length - 1;
        // Fibonacci hashing spreads the (often sequential) ids; linear probing, load ≤ 1/2.
        var i = (int)((key * 0x9E3779B1u) >> _shift);
        while (true)
        {
            var entry = buckets[i];
            if (entry is null || entry.PackedKey == key)
            {
                return entry;
            }
            i = (i + 1) & mask;
        }
    }

    /// <summary>
    /// Looks <paramref name="address"/> (host order) up in the pools. Returns false when no pool
    /// holds it; true with the session that leased it, or null when nobody has.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRoute(uint address, out ForwardingEntry? session)
    {
        foreach (var pool in _pools)
        {
            var offset = address - pool.First;
            if (offset < pool.Length)
            {
                var page = pool.Pages[offset >> AddressIndex.PageBits];
                session = page?[offset & (AddressIndex.PageSize - 1)];
                return true;
            }
        }
        session = null;
        return false;
    }

    internal static int BucketCount(int sessions)
    {
        var wanted = Math.Max(16, sessions * 2);
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)wanted);
    }

    internal static void Insert(ForwardingEntry?[] buckets, ForwardingEntry entry)
    {
        var mask = buckets.Length - 1;
        var shift = 32 - System.Numerics.BitOperations.Log2((uint)buckets.Length);
        var i = (int)((entry.PackedKey * 0x9E3779B1u) >> shift);
        while (buckets[i] is not null)
        {
            i = (i + 1) & mask;
        }
        buckets[i] = entry;
    }
}
