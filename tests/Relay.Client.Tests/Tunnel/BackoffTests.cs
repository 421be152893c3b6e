using Relay.Client.Tunnel;

namespace Relay.Client.Tests.Tunnel;

public class BackoffTests
{
    [Fact]
    public void Delays_double_from_the_initial_one_and_stop_at_the_cap()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), new Random(1));

        Assert.Equal([1, 2, 4, 8, 10, 10, 10], Enumerable.Range(0, 7).Select(n => backoff.Ceiling(n).TotalSeconds));
    }

    [Fact]
    public void Each_delay_is_jittered_between_half_and_all_of_its_ceiling()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3), new Random(7));
        var seen = new HashSet<double>();
        for (var n = 0; n < 200; n++)
        {
            var ceiling = backoff.Ceiling(backoff.Failures);
            var delay = backoff.Next();
            Assert.InRange(delay, ceiling / 2, ceiling);
            seen.Add(delay.TotalMilliseconds);
        }
        // Jitter: capped delays are not all the same value.
        Assert.True(seen.Count > 150, $"{seen.Count} distinct delays");
    }

    [Fact]
    public void Reset_after_a_session_came_up_starts_again_from_the_initial_delay()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(3));
        for (var n = 0; n < 5; n++)
        {
            backoff.Next();
        }
        backoff.Reset();

        Assert.InRange(backoff.Next(), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Many_failures_never_overflow_the_ceiling()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(60), new Random(5));

        Assert.Equal(TimeSpan.FromMinutes(60), backoff.Ceiling(100_000));
    }
}
