namespace Relay.LoadGen.Results;

/// <summary>
/// One scenario's figures (snake_case in the JSON). Forwarding scenarios fill the packet fields,
/// session scenarios the setup fields; what a scenario does not measure is null.
/// Units: pps = probes received per second during the steady window (flat out); gbps = their UDP
/// payload bits (L2TP + PPP + IPv4) per second; loss = 1 - received/sent over the whole run;
/// latency_us = one-way latency at half the measured maximum rate; cpu_s_per_mpkt = CPU seconds
/// (user + system, /proc) the relay process used per million forwarded packets in the window.
/// </summary>
internal sealed record ScenarioResult
{
    public required string Scenario { get; init; }

    public required string Kind { get; init; }

    public int? PayloadBytes { get; init; }

    public required int Sessions { get; init; }

    public double? WindowSeconds { get; init; }

    public double? Pps { get; init; }

    public double? Gbps { get; init; }

    public double? BaselinePps { get; init; }

    public double? BaselineGbps { get; init; }

    public double? Ratio { get; init; }

    public double? Loss { get; init; }

    public double? BaselineLoss { get; init; }

    public Percentiles? LatencyUs { get; init; }

    public Percentiles? BaselineLatencyUs { get; init; }

    /// <summary>Latency while sending flat out (queues full): not the target figure, shown for context.</summary>
    public Percentiles? LatencyAtMaxUs { get; init; }

    public double? HalfRatePps { get; init; }

    public double? CpuSPerMpkt { get; init; }

    public double? BaselineCpuSPerMpkt { get; init; }

    /// <summary>relayd's GC collections in the steady window (EventPipe System.Runtime gen-0-gc-count).</summary>
    public long? GcCollections { get; init; }

    /// <summary>relayd's allocated bytes in the steady window (EventPipe System.Runtime alloc-rate).</summary>
    public long? AllocatedBytes { get; init; }

    /// <summary>The same counters over an idle window of the same length (what the counter reporting itself costs).</summary>
    public long? IdleGcCollections { get; init; }

    public long? IdleAllocatedBytes { get; init; }

    public int? CounterReports { get; init; }

    public double? SetupSeconds { get; init; }

    public double? SetupPerS { get; init; }

    public int? Failures { get; init; }

    public double? RssBytesPerSession { get; init; }

    public long? RssBytes { get; init; }

    public double? SteadyCpuPercent { get; init; }

    public int? HelloIntervalS { get; init; }

    public int? EchoIntervalS { get; init; }

    /// <summary>relayd's own summary line at exit (drop counters by reason).</summary>
    public string? RelaydSummary { get; init; }

    public string? BaselineSummary { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}
