namespace Relay.LoadGen.Measure;

/// <summary>Sums of relayd's System.Runtime counters over a window; null where the runtime did not report the counter.</summary>
internal sealed record RuntimeCounterSums(int Reports, long? Collections, long? Gen1Collections, long? Gen2Collections, long? AllocatedBytes);
