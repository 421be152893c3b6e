using System.Runtime.CompilerServices;

namespace Relay.DataPlane.Forwarding;

/// <summary>
/// One worker's drop counters, indexed by <see cref="DropReason"/>. Only the owning worker
/// writes (plain increments, no interlocked operation); metrics read from any thread with
/// <see cref="Read"/>, which sees each 64-bit count whole.
/// </summary>
public sealed class DropCounters
{
    private readonly long[] _counts = new long[DropReasons.Count];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment(DropReason reason) => _counts[(int)reason]++;

    public long Read(DropReason reason) => Volatile.Read(ref _counts[(int)reason]);

    /// <summary>Sum of every reason but <see cref="DropReason.None"/>.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            for (var i = 1; i < _counts.Length; i++)
            {
                total += Volatile.Read(ref _counts[i]);
            }
            return total;
        }
    }
}
