using Relay.LoadGen.Measure;
using Relay.LoadGen.Results;

namespace Relay.LoadGen.Traffic;

/// <summary>What one traffic run through one relay measured.</summary>
internal sealed record TrafficMeasurement(
    long Sent, long Received, double WindowSeconds, double Pps, double Gbps, double Loss, Percentiles Latency,
    double? CpuSPerMpkt, double? CoreSPerMpkt, double CoreBusy, double? ProgramNsPerRun, RuntimeCounterSums? Counters, long SendErrors, long Foreign);
