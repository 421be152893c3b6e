namespace Relay.LoadGen.Traffic;

/// <summary>
/// One-way latency in whole microseconds, one bucket per microsecond up to <see cref="Limit"/> and
/// one for everything beyond; recording is an array increment (no allocation on the receive path).
/// Written by one thread; read after that thread has stopped.
/// </summary>
internal sealed class LatencyHistogram
{
    public const int Limit = 200_000;
    private readonly long[] _counts = new long[Limit + 1];

    public long Count { get; private set; }

    public void Record(long microseconds)
    {
        var bucket = microseconds < 0 ? 0 : microseconds > Limit ? Limit : (int)microseconds;
        _counts[bucket]++;
        Count++;
    }

    /// <summary>The smallest latency at or below which <paramref name="fraction"/> of the samples lie; null without samples.</summary>
    public double? Percentile(double fraction)
    {
        if (Count == 0)
        {
            return null;
        }
        var rank = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return i;
            }
        }
        return Limit;
    }
}
