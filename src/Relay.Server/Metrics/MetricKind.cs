namespace Relay.Server.Metrics;

/// <summary>The exposition format's metric types relayd uses.</summary>
internal enum MetricKind
{
    Counter,
    Gauge,
}
