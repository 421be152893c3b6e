using System.Text;
using Relay.DataPlane;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Workers;

namespace Relay.Server.DataPlane;

/// <summary>The data plane's one-line summaries: totals, drops by reason (non-zero only), per worker; and a session's counters.</summary>
internal static class DataPlaneSummary
{
    public static string Line(WorkerPool pool)
    {
        long rx = 0, rxBytes = 0, session = 0, sessionBytes = 0, kernel = 0, kernelBytes = 0, fromKernel = 0, control = 0;
        var perWorker = new StringBuilder();
        foreach (var w in pool.Workers)
        {
            var c = w.Counters;
            rx += c.Received;
            rxBytes += c.ReceivedOctets;
            session += c.ToSession;
            sessionBytes += c.ToSessionOctets;
            kernel += c.ToKernel;
            kernelBytes += c.ToKernelOctets;
            fromKernel += c.FromKernel;
            control += c.ToControl;
            perWorker.Append($" w{w.Index}(cpu {w.Cpu}): rx={c.Received} fwd={c.ToSession + c.ToKernel} drop={w.State.Drops.Total}");
        }
        var drops = new StringBuilder();
        long dropped = 0;
        for (var r = 1; r < DropReasons.Count; r++)
        {
            var count = pool.Drops((DropReason)r);
            if (count != 0)
            {
                dropped += count;
                drops.Append($" {DropReasons.Name((DropReason)r)}={count}");
            }
        }
        var socket = pool.Workers[0].Socket;
        return $"dataplane: rx={rx} rx-bytes={rxBytes} to-session={session} to-session-bytes={sessionBytes} " +
               $"to-kernel={kernel} to-kernel-bytes={kernelBytes} from-kernel={fromKernel} to-control={control} " +
               $"dropped={dropped}{(drops.Length == 0 ? "" : " drops:" + drops)};{perWorker} (gro {(socket.Gro ? "on" : "off")}, gso {(socket.Gso ? "on" : "off")})";
    }

    public static string Session(ForwardingEntry entry)
    {
        var t = entry.Traffic;
        return $"dataplane: session {entry.Key.TunnelId}/{entry.Key.SessionId} counters: rx={t.ReceivedPackets} rx-bytes={t.ReceivedBytes} " +
               $"tx={t.SentPackets} tx-bytes={t.SentBytes} dropped={t.DroppedPackets} ns-gaps={t.SequenceGaps}";
    }
}
