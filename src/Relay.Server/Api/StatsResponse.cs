namespace Relay.Server.Api;

/// <summary><c>GET /v1/stats</c>: every counter by a flat dotted name (relayctl stats and watch).</summary>
internal sealed record StatsResponse(double UptimeSeconds, SortedDictionary<string, long> Counters);
