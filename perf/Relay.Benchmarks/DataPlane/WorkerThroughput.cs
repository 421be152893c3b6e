using System.Diagnostics;
using System.Globalization;
using System.Net;
using Relay.Control.Addressing;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.DataPlane.Workers;
using Relay.Wire.Ip;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.Benchmarks.DataPlane;

/// <summary>
/// A temporary throughput driver (the full harness is perf/Relay.LoadGen): on loopback, one
/// blaster thread sends L2TP-wrapped ESP from session A as fast as sendmmsg allows, one
/// <see cref="ForwardingWorker"/> forwards it to session B, one sink counts what arrives. Reports
/// forwarded packets per second for the worker, and the managed bytes the whole process allocated
/// during the run (all three threads are built to allocate nothing per packet).
/// <c>relay-benchmarks --worker-throughput [seconds]</c>.
/// </summary>
internal static class WorkerThroughput
{
    private static readonly SessionKey KeyA = new(101, 201);
    private static readonly SessionKey KeyB = new(102, 202);
    private const uint AddressA = 0x0A00000A, AddressB = 0x0A00000B;

    public static void Report(int seconds)
    {
        Console.WriteLine($"worker throughput on loopback, 1 worker, {seconds} s per run, {Environment.ProcessorCount} CPUs (shared)");
        Console.WriteLine("payload  gro/gso  worker-pps  forwarded  sink-received  drops  allocated-bytes");
        foreach (var payload in new[] { 64, 1400 })
        {
            foreach (var offload in new[] { false, true })
            {
                var r = Run(payload, offload, seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{payload,7}  {(offload ? "on " : "off"),7}  {r.Pps,10:F0}  {r.Forwarded,9}  {r.Received,13}  {r.Drops,5}  {r.Allocated,15}"));
            }
        }
    }

    private static (double Pps, long Forwarded, long Received, long Drops, long Allocated) Run(int payload, bool offload, int seconds)
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        using var blaster = UdpBatchSocket.Bind(loopback, 64, 2048, gso: offload, socketBufferBytes: 8 << 20);
        using var sink = UdpBatchSocket.Bind(loopback, 64, 2048, gro: offload, socketBufferBytes: 32 << 20);
        var table = new ForwardingTable([Ipv4Prefix.Parse("10.0.0.0/24")], workers: 1);
        table.Ready(KeyA, UdpPeer.FromEndPoint(blaster.LocalEndPoint), 0x0A0A, 0x0A0B, false, AddressA);
        table.Ready(KeyB, UdpPeer.FromEndPoint(sink.LocalEndPoint), 0x0B0B, 0x0B0C, false, AddressB);
        table.Publish();
        using var pool = WorkerPool.Start(new WorkerPoolOptions
        {
            Endpoint = loopback,
            Workers = 1,
            Gro = offload,
            Gso = offload,
            SocketBufferBytes = 32 << 20,
        }, table);
        var datagram = Datagram(payload);
        var target = UdpPeer.FromEndPoint(pool.LocalEndPoint);
        var stop = false;
        long received = 0;
        var sinkThread = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                var n = sink.Receive(100);
                for (var i = 0; i < n; i++)
                {
                    var segment = sink.SegmentSize(i);
                    var length = sink.Datagram(i).Length;
                    received += segment == 0 ? 1 : (length + segment - 1) / segment;
                }
            }
        }) { IsBackground = true };
        var blastThread = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                for (var i = 0; i < 64; i++)
                {
                    blaster.Enqueue(datagram, target);
                }
                blaster.Flush();
            }
        }) { IsBackground = true };
        var worker = pool.Workers[0];
        sinkThread.Start();
        blastThread.Start();
        // Warm up (tiered compilation), then measure.
        Thread.Sleep(1000);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var forwardedBefore = worker.Counters.ToSession;
        var started = Stopwatch.GetTimestamp();
        Thread.Sleep(seconds * 1000);
        var forwarded = worker.Counters.ToSession - forwardedBefore;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Volatile.Write(ref stop, true);
        blastThread.Join();
        sinkThread.Join();
        return (forwarded / elapsed, forwarded, received, worker.State.Drops.Total, allocated);
    }

    /// <summary>An L2TP data message (no L, no S) for A's session carrying ESP of <paramref name="payload"/> octets from A to B.</summary>
    private static byte[] Datagram(int payload)
    {
        var ip = new byte[20 + 8 + payload];
        Ipv4Header.Write(ip, Ipv4Header.ProtocolEsp, AddressA, AddressB, (ushort)ip.Length, 1, 64);
        ip[20] = 1; // SPI 0x01000000
        var ppp = new byte[4 + ip.Length];
        var pppLength = PppFrame.Write(ppp, PppProtocol.Ipv4, ip);
        var header = new L2tpHeader { TunnelId = KeyA.TunnelId, SessionId = KeyA.SessionId };
        var datagram = new byte[16 + pppLength];
        header.TryWrite(datagram, pppLength, out var headerLength);
        ppp.AsSpan(0, pppLength).CopyTo(datagram.AsSpan(headerLength));
        return datagram[..(headerLength + pppLength)];
    }
}
