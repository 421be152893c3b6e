namespace Relay.Server.Metrics;

/// <summary>One sample of a <see cref="MetricFamily"/>: label pairs (name, value) in order, and the value.</summary>
internal readonly record struct MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);
