using System.Diagnostics;
using Relay.Server.Lns;

namespace Relay.Server.Metrics;

/// <summary>
/// Hands out the metric families, collected on the control loop through its mailbox. A collection
/// younger than <see cref="MaxAge"/> is reused, so that a Prometheus scrape and a dotnet-counters
/// refresh arriving together cost the control loop one collection.
/// </summary>
internal sealed class MetricsSource(LnsService service, long startTimestamp)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _collecting = new(1, 1);
    private (List<MetricFamily> Families, long At)? _last;

    public async Task<List<MetricFamily>> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } families)
        {
            return families;
        }
        await _collecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } again)
            {
                return again;
            }
            var uptime = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
            var collected = await service.InvokeAsync((controller, _) => RelayMetrics.Collect(service, controller, uptime))
                .WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            _last = (collected, Stopwatch.GetTimestamp());
            return collected;
        }
        finally
        {
            _collecting.Release();
        }
    }

    /// <summary>The last collection whatever its age (for the meter's callbacks when the loop is busy), or none.</summary>
    public List<MetricFamily>? Last => _last?.Families;

    private List<MetricFamily>? Fresh()
        => _last is { } last && Stopwatch.GetElapsedTime(last.At) < MaxAge ? last.Families : null;
}
