using System.Net;

namespace Relay.Control.L2tp;

/// <summary>
/// A token bucket per source address for SCCRQs, so one host cannot churn the tunnel table.
/// The table itself is bounded: when full, buckets idle longest are dropped.
/// </summary>
internal sealed class SccrqRateLimiter(int perSecond, int maxSources = 4096)
{
    private readonly Dictionary<IPAddress, Bucket> _buckets = new();

    public bool TryAcquire(IPAddress source, TimeSpan now)
    {
        var burst = 2.0 * perSecond;
        if (!_buckets.TryGetValue(source, out var bucket))
        {
            if (_buckets.Count >= maxSources)
            {
                Evict(now);
            }
            bucket = new Bucket { Tokens = burst, Updated = now };
            _buckets[source] = bucket;
        }
        bucket.Tokens = Math.Min(burst, bucket.Tokens + (now - bucket.Updated).TotalSeconds * perSecond);
        bucket.Updated = now;
        if (bucket.Tokens < 1)
        {
            return false;
        }
        bucket.Tokens -= 1;
        return true;
    }

    public int Count => _buckets.Count;

    private void Evict(TimeSpan now)
    {
        // Full buckets carry no state worth keeping: drop them first; if none, drop everything
        // idle for a second or more.
        var refill = TimeSpan.FromSeconds(2.0);
        foreach (var (address, bucket) in _buckets)
        {
            if (now - bucket.Updated >= refill)
            {
                _buckets.Remove(address);
            }
        }
        if (_buckets.Count >= maxSources)
        {
            _buckets.Clear();
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public TimeSpan Updated { get; set; }
    }
}
