using System.Diagnostics;
using Relay.DataPlane.Sockets;
using Relay.LoadGen.Measure;
using Relay.LoadGen.Results;
using Relay.LoadGen.Sessions;

namespace Relay.LoadGen.Traffic;

/// <summary>
/// One measured run: sender on side A and receiver on side B start, a warm-up passes, then a steady
/// window is measured (probes received, bytes, latency, the relay's CPU from /proc and, for relayd,
/// its runtime counters over EventPipe, and the relay's
/// CPU time including the kernel's share, <see cref="RelayCpuMeter"/>); then the sender stops, the receiver drains, loss is counted
/// over the whole run.
/// </summary>
internal static class TrafficRun
{
    public static TrafficMeasurement Measure(ClientSide sideA, ClientSide sideB, Flow[] flows, UdpPeer relay, int relayProcessId,
        double ratePps, TimeSpan warmUp, TimeSpan window, bool runtimeCounters, int? senderCpu, int? receiverCpu, RelayCpuMeter relayCpu, BpfProgramStats? program = null)
    {
        var receiver = new TrafficReceiver(sideB, receiverCpu);
        var sender = new TrafficSender(sideA, flows, relay, ratePps, senderCpu);
        receiver.Start();
        sender.Start();
        RuntimeCounters? counters = null;
        try
        {
            Wait(warmUp);
            if (runtimeCounters)
            {
                counters = RuntimeCounters.Start(relayProcessId);
                if (!counters.WaitForFirstReport(TimeSpan.FromSeconds(5)))
                {
                    throw new InvalidOperationException($"relayd (pid {relayProcessId}) sent no System.Runtime counters within 5 s of the EventPipe session start: {counters.Failure ?? "no error"}");
                }
                counters.Reset();
            }
            var sent0 = sender.Sent;
            var received0 = receiver.Received;
            var bytes0 = receiver.Bytes;
            var cpu0 = ProcessStats.CpuSeconds(relayProcessId);
            var core0 = relayCpu.Seconds();
            var program0 = program?.Read() ?? default;
            var start = Stopwatch.GetTimestamp();
            receiver.Recording = true;
            Wait(window);
            receiver.Recording = false;
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var received = receiver.Received - received0;
            var bytes = receiver.Bytes - bytes0;
            var cpu = ProcessStats.CpuSeconds(relayProcessId) - cpu0;
            var core = relayCpu.Seconds() - core0;
            var program1 = program?.Read() ?? default;
            var programRuns = program1.RunCount - program0.RunCount;
            _ = sent0;
            var sums = counters?.Stop();
            sender.Stop();
            receiver.WaitUntilQuiet(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
            receiver.Stop();
            var totalSent = sender.Sent;
            var totalReceived = receiver.Received;
            return new TrafficMeasurement(
                totalSent, totalReceived, elapsed,
                Pps: received / elapsed,
                Gbps: bytes * 8 / elapsed / 1e9,
                Loss: totalSent == 0 ? 1.0 : Math.Max(0, 1.0 - ((double)totalReceived / totalSent)),
                Percentiles.From(receiver.Latency),
                CpuSPerMpkt: received == 0 ? null : cpu / (received / 1e6),
                CoreSPerMpkt: received == 0 ? null : core / (received / 1e6),
                CoreBusy: core / elapsed,
                ProgramNsPerRun: programRuns > 0 ? (double)(program1.RunTimeNs - program0.RunTimeNs) / programRuns : null,
                sums, sender.SendErrors, receiver.Foreign);
        }
        finally
        {
            counters?.Dispose();
            StopQuietly(sender, receiver);
        }
    }

    /// <summary>Lets a measurement window pass (a duration being measured, not a wait for some event).</summary>
    public static void Wait(TimeSpan duration)
    {
        using var never = new ManualResetEventSlim();
        never.Wait(duration);
    }

    private static void StopQuietly(TrafficSender sender, TrafficReceiver receiver)
    {
        try
        {
            sender.Stop();
        }
        catch (InvalidOperationException)
        {
            // already reported by the measurement, or stopping after another failure
        }
        try
        {
            receiver.Stop();
        }
        catch (InvalidOperationException)
        {
        }
    }
}
