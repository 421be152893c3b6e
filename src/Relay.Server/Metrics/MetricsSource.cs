using System.Diagnostics;
using Relay.Server.Lns;

namespace Relay.Server.Metrics;

/// <summary>
/// Hands out the metric families, collected on the control loop through its mailbox. A scrape and
/// /v1/stats always collect afresh (so they agree with the API's answers at that moment); the
/// meter's callbacks, which come one per instrument, reuse a collection younger than
/// <see cref="MaxAge"/> so one dotnet-counters refresh costs the control loop one collection.
/// </summary>
internal sealed class MetricsSource(LnsService service, long startTimestamp)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _collecting = new(1, 1);
    private (List<MetricFamily> Families, long Started)? _last;

    public Task<List<MetricFamily>> GetAsync(CancellationToken cancellationToken = default) => GetAsync(TimeSpan.Zero, cancellationToken);

    public async Task<List<MetricFamily>> GetAsync(TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        if (Fresh(maxAge) is { } families)
        {
            return families;
        }
        var asked = Stopwatch.GetTimestamp();
        await _collecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller collected while this one waited: that collection started after the ask.
            if (_last is { } last && last.Started >= asked)
            {
                return last.Families;
            }
            var started = Stopwatch.GetTimestamp();
            var uptime = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
            var collected = await service.InvokeAsync((controller, _) => RelayMetrics.Collect(service, controller, uptime))
                .WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            _last = (collected, started);
            return collected;
        }
        finally
        {
            _collecting.Release();
        }
    }

    /// <summary>The last collection whatever its age (for the meter's callbacks when the loop is busy), or none.</summary>
    public List<MetricFamily>? Last => _last?.Families;

    private List<MetricFamily>? Fresh(TimeSpan maxAge)
        => maxAge > TimeSpan.Zero && _last is { } last && Stopwatch.GetElapsedTime(last.Started) < maxAge ? last.Families : null;
}
