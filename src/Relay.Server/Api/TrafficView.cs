namespace Relay.Server.Api;

/// <summary>A session's data-plane counters (summed over the workers).</summary>
internal sealed record TrafficView(long RxPackets, long RxBytes, long TxPackets, long TxBytes, long Drops);
