namespace Relay.Client.Tunnel;

/// <summary>
/// Capped exponential backoff with "equal jitter": the n-th delay is drawn from [d/2, d] where
/// d = min(cap, initial · 2^n), so clients that lost the same relay at once do not come back in step,
/// and none waits less than half its share. <see cref="Reset"/> after a session came up.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan cap, Random random)
{
    private int _failures;

    public int Failures => _failures;

    /// <summary>The delay before the next attempt; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        var ceiling = Ceiling(_failures);
        _failures++;
        var half = ceiling / 2;
        return half + (half * random.NextDouble());
    }

    public void Reset() => _failures = 0;

    /// <summary>The upper bound of the delay after <paramref name="failures"/> failures.</summary>
    public TimeSpan Ceiling(int failures)
    {
        // Doubling stops once past the cap, so the shift never overflows.
        var delay = initial;
        for (var i = 0; i < failures && delay < cap; i++)
        {
            delay += delay;
        }
        return delay < cap ? delay : cap;
    }
}
