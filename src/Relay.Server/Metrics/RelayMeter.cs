using System.Diagnostics.Metrics;

namespace Relay.Server.Metrics;

/// <summary>
/// The same families as /metrics, as <c>System.Diagnostics.Metrics</c> instruments of the meter
/// "Relay", so <c>dotnet-counters monitor -n relayd --counters Relay</c> reads the live process.
/// One observable instrument per family (counters as ObservableCounter, gauges as ObservableGauge),
/// the family's labels as tags. Callbacks run on the listener's thread and read a collection made
/// on the control loop (waiting at most a second for a fresh one).
/// </summary>
internal sealed class RelayMeter : IDisposable
{
    public const string MeterName = "Relay";

    private readonly Meter _meter = new(MeterName, Hosting.CommandLine.Version);
    private readonly MetricsSource _source;

    public RelayMeter(MetricsSource source, IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        _source = source;
        foreach (var family in families)
        {
            var name = family.Name;
            var instrument = InstrumentName(name);
            if (family.Kind == MetricKind.Counter)
            {
                _meter.CreateObservableCounter(instrument, () => Observe(name), description: family.Help);
            }
            else
            {
                _meter.CreateObservableGauge(instrument, () => Observe(name), description: family.Help);
            }
        }
    }

    /// <summary>relay_tunnel_setups_total becomes relay.tunnel_setups (the OpenTelemetry style: no _total suffix).</summary>
    public static string InstrumentName(string family)
    {
        ArgumentNullException.ThrowIfNull(family);
        var name = family.EndsWith("_total", StringComparison.Ordinal) ? family[..^6] : family;
        return "relay." + name["relay_".Length..];
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<double>> Observe(string name)
    {
        List<MetricFamily>? families;
        try
        {
            var task = _source.GetAsync(MetricsSource.MaxAge);
            families = task.Wait(TimeSpan.FromSeconds(1)) ? task.Result : _source.Last;
        }
        catch (AggregateException)
        {
            families = _source.Last;
        }
        if (families?.Find(f => f.Name == name) is not { } family)
        {
            yield break;
        }
        foreach (var sample in family.Samples)
        {
            var tags = new KeyValuePair<string, object?>[sample.Labels.Count];
            for (var i = 0; i < tags.Length; i++)
            {
                tags[i] = new(sample.Labels[i].Key, sample.Labels[i].Value);
            }
            yield return new Measurement<double>(sample.Value, tags);
        }
    }
}
