using System.Runtime.CompilerServices;

namespace Relay.DataPlane.Forwarding;

/// <summary>
/// Remembers, per worker, which fragmented datagrams had their first fragment allowed, so that
/// the rest of each datagram gets the same verdict without reassembly. Keyed by (source,
/// destination, identification, protocol), the fields that name a datagram (RFC 791 §3.2).
/// Bounded: 4-way set-associative, an entry lives <c>timeout</c> ticks after its first fragment;
/// a first fragment that finds its set full of live entries is dropped (FragmentTableFull) so
/// that no datagram passes half. Denied first fragments are not stored: a non-first fragment
/// without an entry is dropped (FragmentDenied). Time comes in as a tick count; the unit is the
/// caller's (the timeout uses the same one). One worker owns an instance: not thread-safe.
/// </summary>
public sealed class FragmentTable
{
    private const int Ways = 4;

    private readonly Slot[] _slots;
    private readonly int _setMask;
    private readonly long _timeout;

    /// <param name="capacity">Entries; rounded up to a power of two, at least 4.</param>
    /// <param name="timeout">Ticks an entry lives, in the unit of the <c>now</c> arguments.</param>
    public FragmentTable(int capacity, long timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, 1);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, Ways));
        _slots = new Slot[size];
        _setMask = size / Ways - 1;
        _timeout = timeout;
    }

    public int Capacity => _slots.Length;

    /// <summary>Entries not yet expired at <paramref name="now"/>.</summary>
    public int LiveCount(long now)
    {
        var count = 0;
        foreach (ref readonly var slot in _slots.AsSpan())
        {
            if (slot.Expires > now)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Records an allowed first fragment; false when its set has no free or expired slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryAllow(uint source, uint destination, ushort identification, byte protocol, long now)
    {
        var tag = Tag(identification, protocol);
        var set = _slots.AsSpan(Set(source, destination, tag) * Ways, Ways);
        var free = -1;
        for (var i = 0; i < set.Length; i++)
        {
            ref var slot = ref set[i];
            if (slot.Expires <= now)
            {
                if (free < 0)
                {
                    free = i;
                }
            }
            else if (slot.Source == source && slot.Destination == destination && slot.Tag == tag)
            {
                // A repeated first fragment: refresh.
                slot.Expires = now + _timeout;
                return true;
            }
        }
        if (free < 0)
        {
            return false;
        }
        set[free] = new Slot { Source = source, Destination = destination, Tag = tag, Expires = now + _timeout };
        return true;
    }

    /// <summary>True when this datagram's first fragment was allowed and its entry has not expired.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool IsAllowed(uint source, uint destination, ushort identification, byte protocol, long now)
    {
        var tag = Tag(identification, protocol);
        var set = _slots.AsSpan(Set(source, destination, tag) * Ways, Ways);
        foreach (ref readonly var slot in set)
        {
            if (slot.Expires > now && slot.Source == source && slot.Destination == destination && slot.Tag == tag)
            {
                return true;
            }
        }
        return false;
    }

    private static uint Tag(ushort identification, byte protocol) => (uint)identification << 8 | protocol;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Set(uint source, uint destination, uint tag)
    {
        var h = (ulong)source * 0x9E3779B97F4A7C15UL ^ (ulong)destination * 0xC2B2AE3D27D4EB4FUL ^ tag * 0x165667B19E3779F9UL;
        return (int)(h >> 40) & _setMask;
    }

    private struct Slot
    {
        public uint Source;
        public uint Destination;
        public uint Tag;
        public long Expires;
    }
}
