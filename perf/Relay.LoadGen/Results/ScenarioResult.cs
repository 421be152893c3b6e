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

    /// <summary>relayd's dataplane.fastPath in a forwarding scenario: off, xdp, xdp-generic or tc.</summary>
    public string? FastPath { get; init; }

    public required int Sessions { get; init; }

    public double? WindowSeconds { get; init; }

    public double? Pps { get; init; }

    public double? Gbps { get; init; }

    public double? BaselinePps { get; init; }

    public double? BaselineGbps { get; init; }

    public double? Ratio { get; init; }

    public double? Loss { get; init; }

    public double? BaselineLoss { get; init; }

    /// <summary>
    /// Where the loss happened, over the relay's whole life in the scenario (flat-out and half-rate
    /// runs): 1 - forwarded/sent is lost on the way into and inside the relay (its socket buffer
    /// overflowing: the relay is the bottleneck); 1 - received/forwarded after it (the load
    /// generator's receive side could not keep up, so pps understates the relay).
    /// Forwarded is relayd's data-plane to-session counter, the baseline's forwarded counter.
    /// </summary>
    public double? LossAtRelay { get; init; }

    public double? LossAfterRelay { get; init; }

    public double? BaselineLossAtRelay { get; init; }

    public double? BaselineLossAfterRelay { get; init; }

    public Percentiles? LatencyUs { get; init; }

    public Percentiles? BaselineLatencyUs { get; init; }

    /// <summary>Latency while sending flat out (queues full): not the target figure, shown for context.</summary>
    public Percentiles? LatencyAtMaxUs { get; init; }

    public double? HalfRatePps { get; init; }

    public double? CpuSPerMpkt { get; init; }

    public double? BaselineCpuSPerMpkt { get; init; }

    /// <summary>
    /// Relay CPU seconds per million packets delivered, flat out: the busy time of the relay CPU, where
    /// the rig puts the relay process, its receive processing and the fast path's kernel work
    /// (<see cref="Measure.RelayCpuMeter"/>). With the fast path on the kernel does the forwarding and
    /// relayd's own figure (<see cref="CpuSPerMpkt"/>) falls to nearly 0. Packets the relay forwarded
    /// but the receiver lost count against it (<see cref="LossAfterRelay"/>), so this errs high.
    /// </summary>
    public double? CoreSPerMpkt { get; init; }

    public double? BaselineCoreSPerMpkt { get; init; }

    /// <summary>The same at half the flat-out rate: fewer packets per wake-up, so usually more per packet.</summary>
    public double? HalfRateCoreSPerMpkt { get; init; }

    public double? BaselineHalfRateCoreSPerMpkt { get; init; }

    /// <summary>Share of the relay CPU busy during the flat-out window (1 = saturated: the relay was the limit).</summary>
    public double? CoreBusy { get; init; }

    public double? BaselineCoreBusy { get; init; }

    /// <summary>
    /// Packets/s one relay CPU forwards when busy all the time (10⁶ ÷ <see cref="CoreSPerMpkt"/>): the
    /// relay's capacity, which the load generator, with one CPU to send and receive, cannot always fill.
    /// </summary>
    public double? PpsPerCore { get; init; }

    public double? BaselinePpsPerCore { get; init; }

    /// <summary>Nanoseconds per packet inside relayd's XDP or tc program alone (the kernel's run_time_ns ÷ run_cnt, half-rate run, which loses nothing).</summary>
    public double? ProgramNsPerPacket { get; init; }

    /// <summary>Baseline CPU per packet ÷ relayd's (with the fast path: the kernel's): the efficiency ratio.</summary>
    public double? CoreRatio { get; init; }

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
