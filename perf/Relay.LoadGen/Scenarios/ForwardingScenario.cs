using System.Buffers.Binary;
using Relay.DataPlane.Sockets;
using Relay.LoadGen.Measure;
using Relay.LoadGen.Results;
using Relay.LoadGen.Rig;
using Relay.LoadGen.Sessions;
using Relay.LoadGen.Traffic;

namespace Relay.LoadGen.Scenarios;

/// <summary>
/// ESP between session pairs: PAIRS sessions on side A and PAIRS on side B come up through relayd
/// (L2TP + PPP + IPCP), then side A sends to side B's pool addresses, flat out and then at half the
/// measured rate, through relayd; then the same datagrams through the C baseline, in the same run.
/// This is repeated for every fast path mode asked for (relayd restarted in that mode, sessions
/// dialled again); the baseline is measured once, after the first mode, and shared by every row.
/// </summary>
internal static class ForwardingScenario
{
    public static IReadOnlyList<ScenarioResult> Run(BenchRig rig, ScenarioSpec spec, TimeSpan window, TextWriter log)
    {
        var results = new List<ScenarioResult>();
        BaselineRun? baseline = null;
        foreach (var mode in rig.Options.FastPath)
        {
            try
            {
                results.Add(RunMode(rig, spec, window, mode, ref baseline, log));
            }
            finally
            {
                rig.UnpinRelayNapi();
            }
        }
        return results;
    }

    private sealed record BaselineRun(TrafficMeasurement Max, TrafficMeasurement Half, string? Summary, double? LossAtRelay, double? LossAfterRelay, List<string> Notes);

    private static ScenarioResult RunMode(BenchRig rig, ScenarioSpec spec, TimeSpan window, string mode, ref BaselineRun? baseline, TextWriter log)
    {
        var warmUp = TimeSpan.FromSeconds(Math.Min(1.0, window.TotalSeconds / 2));
        var halfRateWindow = TimeSpan.FromSeconds(Math.Max(1.0, window.TotalSeconds / 2));
        var notes = new List<string>();
        var options = rig.Options;
        using var generator = rig.PrepareGenerator(mode);
        using var relayd = rig.StartRelayd(new RelaydSettings(FastPath: mode));
        var relaydCpu = new RelayCpuMeter(relayd.ProcessId, rig.PinRelayNapi(mode), options.RelayCpu);
        using var program = BpfProgramStats.Start(rig.Relay, "eth0", mode);
        using var sideA = rig.NewSide("a", BenchRig.SideAAddress, BenchRig.RelaydPort);
        using var sideB = rig.NewSide("b", BenchRig.SideBAddress, BenchRig.RelaydPort);
        var pairs = spec.Count;
        DialBoth(sideA, sideB, pairs);
        log.WriteLine($"  [{mode}] {pairs} session pairs up");
        var flows = BuildFlows(sideA, sideB, pairs, spec.PayloadBytes);

        // Idle window: what the EventPipe counter reporting alone costs relayd.
        var idle = IdleCounters(relayd.ProcessId, window);

        var relaydPeer = UdpPeer.FromEndPoint(BenchRig.RelaydEndPoint);
        var max = TrafficRun.Measure(sideA, sideB, flows, relaydPeer, relayd.ProcessId, 0, warmUp, window, runtimeCounters: true, options.SenderCpu, options.ReceiverCpu, relaydCpu, program);
        log.WriteLine($"  [{mode}] relayd flat out: {max.Pps:N0} pps, loss {max.Loss:P2}, relay CPU {max.CoreBusy:P0} busy");
        TrafficMeasurement? half = null;
        if (max.Pps > 0)
        {
            half = TrafficRun.Measure(sideA, sideB, flows, relaydPeer, relayd.ProcessId, max.Pps / 2, warmUp, halfRateWindow, runtimeCounters: false, options.SenderCpu, options.ReceiverCpu, relaydCpu, program);
            log.WriteLine($"  [{mode}] relayd at {max.Pps / 2:N0} pps: p99 {half.Latency.P99} µs, relay CPU {half.CoreSPerMpkt:F2} s per million packets");
        }
        else
        {
            notes.Add("relayd forwarded nothing: no half-rate latency run (see relayd_summary for its drop counters)");
        }

        if (baseline is null)
        {
            using var process = rig.StartBaseline(BenchRig.RelaydPort);
            var baselinePeer = UdpPeer.FromEndPoint(BenchRig.BaselineEndPoint);
            var baselineCpu = new RelayCpuMeter(process.ProcessId, [], options.RelayCpu);
            var baseMax = TrafficRun.Measure(sideA, sideB, flows, baselinePeer, process.ProcessId, 0, warmUp, window, runtimeCounters: false, options.SenderCpu, options.ReceiverCpu, baselineCpu);
            log.WriteLine($"  baseline flat out: {baseMax.Pps:N0} pps, loss {baseMax.Loss:P2}, relay CPU {baseMax.CoreBusy:P0} busy");
            var baseHalf = TrafficRun.Measure(sideA, sideB, flows, baselinePeer, process.ProcessId, Math.Max(1, baseMax.Pps / 2), warmUp, halfRateWindow, runtimeCounters: false, options.SenderCpu, options.ReceiverCpu, baselineCpu);
            var summary = process.Stop();
            var baseNotes = new List<string>();
            var (atRelay, afterRelay) = Split(Counter(summary, "forwarded="), [baseMax, baseHalf], baseNotes, "baseline");
            baseline = new BaselineRun(baseMax, baseHalf, summary, atRelay, afterRelay, baseNotes);
        }
        var relaydSummary = relayd.Stop();
        // What relayd forwarded: its workers' to-session counter plus, with the fast path, the kernel's.
        var forwarded = Counter(relaydSummary, "to-session=") is { } user ? user + (Counter(relaydSummary, "forwarded=") ?? 0) : (long?)null;
        var (lossAtRelay, lossAfterRelay) = Split(forwarded, [max, half], notes, "relayd");
        notes.AddRange(baseline.Notes);
        if (max.Foreign > 0)
        {
            notes.Add($"{max.Foreign} IPv4 frames reached side B that were not our probes");
        }
        if (max.SendErrors > 0 || baseline.Max.SendErrors > 0)
        {
            notes.Add($"send errors (kernel refused datagrams): {max.SendErrors} on side A's socket");
        }
        var baseMaxRun = baseline.Max;
        // The cost of a packet flat out, where each relay batches as it does under load; the half-rate
        // figure (fewer packets per wake-up) is kept beside it.
        var relayCost = max.CoreSPerMpkt;
        var baselineCost = baseMaxRun.CoreSPerMpkt;
        return new ScenarioResult
        {
            Scenario = spec.Name,
            Kind = "forwarding",
            FastPath = mode,
            PayloadBytes = spec.PayloadBytes,
            Sessions = 2 * pairs,
            WindowSeconds = Math.Round(max.WindowSeconds, 3),
            Pps = Math.Round(max.Pps),
            Gbps = Math.Round(max.Gbps, 4),
            BaselinePps = Math.Round(baseMaxRun.Pps),
            BaselineGbps = Math.Round(baseMaxRun.Gbps, 4),
            Ratio = baseMaxRun.Pps > 0 ? Math.Round(max.Pps / baseMaxRun.Pps, 3) : null,
            Loss = Math.Round(max.Loss, 6),
            BaselineLoss = Math.Round(baseMaxRun.Loss, 6),
            LossAtRelay = lossAtRelay,
            LossAfterRelay = lossAfterRelay,
            BaselineLossAtRelay = baseline.LossAtRelay,
            BaselineLossAfterRelay = baseline.LossAfterRelay,
            LatencyUs = half?.Latency,
            BaselineLatencyUs = baseline.Half.Latency,
            LatencyAtMaxUs = max.Latency,
            HalfRatePps = half is null ? null : Math.Round(half.Pps),
            CpuSPerMpkt = Round(max.CpuSPerMpkt),
            BaselineCpuSPerMpkt = Round(baseMaxRun.CpuSPerMpkt),
            CoreSPerMpkt = Round(relayCost),
            BaselineCoreSPerMpkt = Round(baselineCost),
            HalfRateCoreSPerMpkt = Round(half?.CoreSPerMpkt),
            BaselineHalfRateCoreSPerMpkt = Round(baseline.Half.CoreSPerMpkt),
            CoreBusy = Round(max.CoreBusy),
            ProgramNsPerPacket = (half ?? max).ProgramNsPerRun is { } ns ? Math.Round(ns, 1) : null,
            BaselineCoreBusy = Round(baseMaxRun.CoreBusy),
            PpsPerCore = relayCost > 0 ? Math.Round(1e6 / relayCost.Value) : null,
            BaselinePpsPerCore = baselineCost > 0 ? Math.Round(1e6 / baselineCost.Value) : null,
            CoreRatio = relayCost > 0 && baselineCost is { } theirs ? Math.Round(theirs / relayCost.Value, 2) : null,
            GcCollections = max.Counters?.Collections,
            AllocatedBytes = max.Counters?.AllocatedBytes,
            IdleGcCollections = idle.Collections,
            IdleAllocatedBytes = idle.AllocatedBytes,
            CounterReports = max.Counters?.Reports,
            RelaydSummary = relaydSummary,
            BaselineSummary = baseline.Summary,
            Notes = notes,
        };
    }

    /// <summary>The number after <paramref name="key"/> in a summary line (e.g. relayd's "to-session=123"), or null.</summary>
    private static long? Counter(string? summary, string key)
    {
        var at = summary?.IndexOf(" " + key, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return null;
        }
        var digits = summary![(at + 1 + key.Length)..].TakeWhile(char.IsAsciiDigit).ToArray();
        return long.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static (double? AtRelay, double? AfterRelay) Split(long? forwarded, TrafficMeasurement?[] runs, List<string> notes, string relay)
    {
        var sent = runs.Sum(r => r?.Sent ?? 0);
        var received = runs.Sum(r => r?.Received ?? 0);
        if (forwarded is not { } f || sent == 0)
        {
            notes.Add($"{relay}: no forwarded counter in its summary, loss not split");
            return (null, null);
        }
        var afterRelay = f == 0 ? (double?)null : Math.Round(Math.Max(0, 1.0 - ((double)received / f)), 6);
        if (afterRelay > 0.01)
        {
            notes.Add($"{relay}: {afterRelay:P1} of what it forwarded did not reach the receiver: the load generator, not the relay, limited pps");
        }
        return (Math.Round(Math.Max(0, 1.0 - ((double)f / sent)), 6), afterRelay);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    private static RuntimeCounterSums IdleCounters(int pid, TimeSpan window)
    {
        using var counters = RuntimeCounters.Start(pid);
        if (!counters.WaitForFirstReport(TimeSpan.FromSeconds(5)))
        {
            throw new InvalidOperationException($"relayd (pid {pid}) sent no System.Runtime counters within 5 s of the EventPipe session start: {counters.Failure ?? "no error"}");
        }
        counters.Reset();
        TrafficRun.Wait(window);
        return counters.Stop();
    }

    private static void DialBoth(ClientSide a, ClientSide b, int pairs)
    {
        var timeout = TimeSpan.FromSeconds(30 + (pairs / 100.0));
        var other = new Thread(() => b.Dial(pairs, 256, timeout)) { IsBackground = true, Name = "dial b" };
        other.Start();
        a.Dial(pairs, 256, timeout);
        other.Join();
        foreach (var side in new[] { a, b })
        {
            if (side.Ready.Count < pairs)
            {
                throw new InvalidOperationException($"side {side.Name}: {side.Ready.Count} of {pairs} sessions ready, {side.Failed} failed: {string.Join("; ", side.FailureReasons)}");
            }
        }
    }

    private static Flow[] BuildFlows(ClientSide a, ClientSide b, int pairs, int payloadBytes)
    {
        var flows = new Flow[pairs];
        for (var i = 0; i < pairs; i++)
        {
            var from = a.Ready[i];
            var to = b.Ready[i];
            var template = new byte[2048];
            var length = PacketLayout.WriteTemplate(template, from.PeerTunnelId, from.PeerSessionId, from.DataSequencing,
                ToUInt32(from.LocalAddress), ToUInt32(to.LocalAddress), payloadBytes, spi: 0x1000u + (uint)i);
            flows[i] = new Flow(i, template, length, PacketLayout.ProbeOffset(length, payloadBytes));
        }
        return flows;
    }

    private static uint ToUInt32(System.Net.IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
