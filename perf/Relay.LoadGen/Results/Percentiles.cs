namespace Relay.LoadGen.Results;

/// <summary>Latency percentiles in microseconds, with the number of samples behind them.</summary>
internal sealed record Percentiles(double? P50, double? P99, double? P999, long Samples)
{
    public static Percentiles From(Traffic.LatencyHistogram histogram)
        => new(histogram.Percentile(0.50), histogram.Percentile(0.99), histogram.Percentile(0.999), histogram.Count);
}
