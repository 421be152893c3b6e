namespace Relay.Server.Metrics;

/// <summary>
/// One metric family as the Prometheus exposition format has it (name, HELP, TYPE, samples).
/// Counter names end in <c>_total</c>. The same families feed /metrics, <c>GET /v1/stats</c> and the
/// <c>System.Diagnostics.Metrics</c> instruments, so all three always agree.
/// </summary>
internal sealed class MetricFamily(string name, MetricKind kind, string help)
{
    public string Name { get; } = name;

    public MetricKind Kind { get; } = kind;

    public string Help { get; } = help;

    public List<MetricSample> Samples { get; } = [];

    public MetricFamily Add(double value, params KeyValuePair<string, string>[] labels)
    {
        Samples.Add(new MetricSample(labels, value));
        return this;
    }
}
