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
/// </summary>
internal static class ForwardingScenario
{
    public static ScenarioResult Run(BenchRig rig, ScenarioSpec spec, TimeSpan window, TextWriter log)
    {
        var warmUp = TimeSpan.FromSeconds(Math.Min(1.0, window.TotalSeconds / 2));
        var halfRateWindow = TimeSpan.FromSeconds(Math.Max(1.0, window.TotalSeconds / 2));
        var notes = new List<string>();
        using var relayd = rig.StartRelayd(new RelaydSettings());
        using var sideA = rig.NewSide("a", BenchRig.SideAAddress, BenchRig.RelaydPort);
        using var sideB = rig.NewSide("b", BenchRig.SideBAddress, BenchRig.RelaydPort);
        var pairs = spec.Count;
        DialBoth(sideA, sideB, pairs);
        log.WriteLine($"  {pairs} session pairs up");
        var flows = BuildFlows(sideA, sideB, pairs, spec.PayloadBytes);

        // Idle window: what the EventPipe counter reporting alone costs relayd.
        var idle = IdleCounters(relayd.ProcessId, window);

        var relaydPeer = UdpPeer.FromEndPoint(BenchRig.RelaydEndPoint);
        var max = TrafficRun.Measure(sideA, sideB, flows, relaydPeer, relayd.ProcessId, 0, warmUp, window, runtimeCounters: true, rig.Options.SenderCpu, rig.Options.ReceiverCpu);
        log.WriteLine($"  relayd flat out: {max.Pps:N0} pps, loss {max.Loss:P2}");
        TrafficMeasurement? half = null;
        if (max.Pps > 0)
        {
            half = TrafficRun.Measure(sideA, sideB, flows, relaydPeer, relayd.ProcessId, max.Pps / 2, warmUp, halfRateWindow, runtimeCounters: false, rig.Options.SenderCpu, rig.Options.ReceiverCpu);
            log.WriteLine($"  relayd at {max.Pps / 2:N0} pps: p99 {half.Latency.P99} µs");
        }
        else
        {
            notes.Add("relayd forwarded nothing: no half-rate latency run (see relayd_summary for its drop counters)");
        }

        TrafficMeasurement baseMax;
        TrafficMeasurement baseHalf;
        string baselineSummary;
        using (var baseline = rig.StartBaseline(BenchRig.RelaydPort))
        {
            var baselinePeer = UdpPeer.FromEndPoint(BenchRig.BaselineEndPoint);
            baseMax = TrafficRun.Measure(sideA, sideB, flows, baselinePeer, baseline.ProcessId, 0, warmUp, window, runtimeCounters: false, rig.Options.SenderCpu, rig.Options.ReceiverCpu);
            log.WriteLine($"  baseline flat out: {baseMax.Pps:N0} pps, loss {baseMax.Loss:P2}");
            baseHalf = TrafficRun.Measure(sideA, sideB, flows, baselinePeer, baseline.ProcessId, Math.Max(1, baseMax.Pps / 2), warmUp, halfRateWindow, runtimeCounters: false, rig.Options.SenderCpu, rig.Options.ReceiverCpu);
            baselineSummary = baseline.Stop();
        }
        var summary = relayd.Stop();
        if (max.Foreign > 0)
        {
            notes.Add($"{max.Foreign} IPv4 frames reached side B that were not our probes");
        }
        if (max.SendErrors > 0 || baseMax.SendErrors > 0)
        {
            notes.Add($"send errors (kernel refused datagrams): {max.SendErrors} on side A's socket");
        }
        return new ScenarioResult
        {
            Scenario = spec.Name,
            Kind = "forwarding",
            PayloadBytes = spec.PayloadBytes,
            Sessions = 2 * pairs,
            WindowSeconds = Math.Round(max.WindowSeconds, 3),
            Pps = Math.Round(max.Pps),
            Gbps = Math.Round(max.Gbps, 4),
            BaselinePps = Math.Round(baseMax.Pps),
            BaselineGbps = Math.Round(baseMax.Gbps, 4),
            Ratio = baseMax.Pps > 0 ? Math.Round(max.Pps / baseMax.Pps, 3) : null,
            Loss = Math.Round(max.Loss, 6),
            BaselineLoss = Math.Round(baseMax.Loss, 6),
            LatencyUs = half?.Latency,
            BaselineLatencyUs = baseHalf.Latency,
            LatencyAtMaxUs = max.Latency,
            HalfRatePps = half is null ? null : Math.Round(half.Pps),
            CpuSPerMpkt = Round(max.CpuSPerMpkt),
            BaselineCpuSPerMpkt = Round(baseMax.CpuSPerMpkt),
            GcCollections = max.Counters?.Collections,
            AllocatedBytes = max.Counters?.AllocatedBytes,
            IdleGcCollections = idle.Collections,
            IdleAllocatedBytes = idle.AllocatedBytes,
            CounterReports = max.Counters?.Reports,
            RelaydSummary = summary,
            BaselineSummary = baselineSummary,
            Notes = notes,
        };
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
