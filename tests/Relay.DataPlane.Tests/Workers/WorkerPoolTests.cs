using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Relay.Control.Addressing;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.DataPlane.Tests.Forwarding;
using Relay.DataPlane.Workers;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.DataPlane.Tests.Workers;

/// <summary>The worker pool on loopback: two "peers" (plain sockets) with sessions in the table, traffic through real workers.</summary>
public class WorkerPoolTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1, false, false)]
    [InlineData(2, true, true)]
    public void Session_to_session_traffic_arrives_byte_exact_with_the_targets_header(int workers, bool gro, bool gso)
    {
        using var a = Peer();
        using var b = Peer();
        var table = Table(a, b, sequencingB: true);
        using var pool = WorkerPool.Start(Options(workers, gro, gso), table);
        var esp = Packets.Esp(1400);
        // Compressed PPP protocol and no L bit: the relay's header (S, FF 03 00 21) is 9 octets longer.
        var datagram = Packets.L2tp(esp, Packets.KeyA, compressProtocol: true, addressControl: false)[Packets.Headroom..];
        const int count = 200;
        for (var i = 0; i < count; i++)
        {
            a.SendTo(datagram, pool.LocalEndPoint);
        }
        var buffer = new byte[4096];
        b.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        for (var i = 0; i < count; i++)
        {
            var n = b.Receive(buffer);
            Assert.Equal(L2tpParseStatus.Ok, L2tpHeader.TryParse(buffer.AsSpan(0, n), out var header));
            Assert.Equal((ushort)0x0B0B, header.TunnelId);
            Assert.Equal((ushort)0x0B0C, header.SessionId);
            Assert.True(header.HasSequence);
            Assert.Equal((ushort)i, header.Ns);
            Assert.Equal(PppFrameStatus.Ok, PppFrame.Parse(buffer.AsSpan(header.PayloadStart, header.PayloadLength), out var ppp));
            Assert.Equal(PppProtocol.Ipv4, ppp.Protocol);
            var inner = ppp.Information;
            Assert.Equal(esp.Length, inner.Length);
            Assert.Equal(63, inner[8]); // TTL decremented
            Assert.True(inner[20..].SequenceEqual(esp.AsSpan(20)), "ESP payload changed");
        }
        var forwarded = pool.Workers.Sum(w => w.Counters.ToSession);
        Assert.Equal(count, forwarded);
        Assert.Equal(0, pool.Workers.Sum(w => w.State.Drops.Total));
        Assert.Equal(count, table.Current.Find(Packets.KeyA.TunnelId, Packets.KeyA.SessionId)!.Traffic.ReceivedPackets);
    }

    [Fact]
    public void Gro_trains_are_split_and_each_datagram_forwarded_byte_exact_even_when_its_header_grows()
    {
        using var a = UdpBatchSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), 64, 2048, gso: true);
        using var b = Peer();
        var table = new ForwardingTable([Packets.Pool], workers: 1);
        table.Ready(Packets.KeyA, UdpPeer.FromEndPoint(a.LocalEndPoint), 0x0A0A, 0x0A0B, false, Packets.AddressA);
        table.Ready(Packets.KeyB, UdpPeer.FromEndPoint((IPEndPoint)b.LocalEndPoint!), 0x0B0B, 0x0B0C, true, Packets.AddressB);
        table.Publish();
        using var pool = WorkerPool.Start(Options(1, gro: true, gso: true), table);
        var target = UdpPeer.FromEndPoint(pool.LocalEndPoint);
        const int count = 192;
        var sent = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            // Same size (a GSO run, so a GRO train at the worker); compressed PPP: the relay's header is 9 octets longer.
            var esp = Packets.Esp(600);
            esp[^1] = (byte)i;
            esp[^2] = (byte)(i >> 8);
            sent.Add(esp);
            a.Enqueue(Packets.L2tp(esp, Packets.KeyA, compressProtocol: true, addressControl: false)[Packets.Headroom..], target);
        }
        a.Flush();
        Assert.True(a.GsoMessages > 0);
        var buffer = new byte[4096];
        b.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        for (var i = 0; i < count; i++)
        {
            var n = b.Receive(buffer);
            L2tpHeader.TryParse(buffer.AsSpan(0, n), out var header);
            PppFrame.Parse(buffer.AsSpan(header.PayloadStart, header.PayloadLength), out var ppp);
            Assert.Equal((ushort)i, header.Ns);
            Assert.True(ppp.Information[20..].SequenceEqual(sent[i].AsSpan(20)), $"datagram {i} changed");
        }
        Assert.True(pool.Workers[0].Socket.GroTrains > 0, "no GRO train reached the worker");
        Assert.Equal(count, pool.Workers[0].Counters.ToSession);
    }

    [Fact]
    public void Ppp_control_frames_reach_the_control_queue_and_wake_the_control_loop()
    {
        using var a = Peer();
        using var b = Peer();
        var table = Table(a, b);
        using var pool = WorkerPool.Start(Options(1, false, false), table);
        var lcp = new byte[] { 9, 1, 0, 8, 0, 0, 0, 0 }; // Echo-Request
        var datagram = Packets.L2tp(lcp, Packets.KeyA, protocol: PppProtocol.Lcp)[Packets.Headroom..];
        a.SendTo(datagram, pool.LocalEndPoint);

        Assert.True(pool.WaitForControl((int)Timeout.TotalMilliseconds), "control loop not woken");
        var queue = pool.Workers[0].Control;
        Assert.True(queue.TryPeek(out var source, out var queued));
        Assert.Equal(datagram, queued.ToArray());
        Assert.Equal(UdpPeer.FromEndPoint((IPEndPoint)a.LocalEndPoint!), source);
        queue.Advance();
        Assert.False(queue.TryPeek(out _, out _));
    }

    [Fact]
    public void A_full_control_queue_refuses_without_blocking()
    {
        var queue = new ControlQueue(capacity: 2, slotLength: 64);
        var peer = UdpPeer.FromIPv4(0x7F000001, 1701);
        Assert.True(queue.TryEnqueue(new byte[] { 1 }, peer));
        Assert.True(queue.TryEnqueue(new byte[] { 2 }, peer));
        Assert.False(queue.TryEnqueue(new byte[] { 3 }, peer));
        Assert.False(queue.TryEnqueue(new byte[65], peer));
        Assert.True(queue.TryPeek(out _, out var first));
        Assert.Equal(1, first[0]);
        queue.Advance();
        Assert.True(queue.TryEnqueue(new byte[] { 4 }, peer));
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void A_steady_batch_loop_allocates_nothing()
    {
        using var a = Peer();
        using var b = Peer();
        var table = Table(a, b, sequencingB: true);
        // The worker is driven on this thread (not started), so this thread's allocation counter is the worker's.
        using var socket = UdpBatchSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), 64, 2048, reusePort: true, headroom: Forwarder.MaxEncapsulation);
        var worker = new ForwardingWorker(0, -1, socket, null, table, new ControlQueue(64, 2048), new FragmentTable(64, 1_000_000), -1);
        var forward = Packets.L2tp(Packets.Esp(1400), Packets.KeyA)[Packets.Headroom..];
        var denied = Packets.L2tp(Packets.Udp(1, 53, new byte[8]), Packets.KeyA)[Packets.Headroom..];
        var lcp = Packets.L2tp(new byte[] { 9, 1, 0, 8, 0, 0, 0, 0 }, Packets.KeyA, protocol: PppProtocol.Lcp)[Packets.Headroom..];
        var target = socket.LocalEndPoint;
        var control = worker.Control;
        long allocated = 0;
        for (var round = 0; round < 60; round++)
        {
            for (var i = 0; i < 60; i++)
            {
                a.SendTo(i % 20 == 0 ? denied : forward, target);
            }
            a.SendTo(lcp, target);
            var seen = 0L;
            var before = GC.GetAllocatedBytesForCurrentThread();
            while (seen < 61)
            {
                var start = worker.Counters.Received;
                worker.ProcessSocket();
                seen += worker.Counters.Received - start;
                while (control.TryPeek(out _, out _))
                {
                    control.Advance();
                }
            }
            if (round >= 10) // after tiered compilation settled
            {
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        Assert.Equal(0, allocated);
        Assert.Equal(60 * 57, worker.Counters.ToSession);
        Assert.Equal(60 * 3, worker.State.Drops.Read(DropReason.PolicyDenied));
        Assert.Equal(60, worker.Counters.ToControl);
    }

    private static WorkerPoolOptions Options(int workers, bool gro, bool gso) => new()
    {
        Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
        Workers = workers,
        Gro = gro,
        Gso = gso,
        SocketBufferBytes = 1 << 20,
    };

    private static ForwardingTable Table(Socket a, Socket b, bool sequencingB = false)
    {
        var table = new ForwardingTable([Packets.Pool], workers: 2);
        table.Ready(Packets.KeyA, UdpPeer.FromEndPoint((IPEndPoint)a.LocalEndPoint!), 0x0A0A, 0x0A0B, false, Packets.AddressA);
        table.Ready(Packets.KeyB, UdpPeer.FromEndPoint((IPEndPoint)b.LocalEndPoint!), 0x0B0B, 0x0B0C, sequencingB, Packets.AddressB);
        table.Publish();
        return table;
    }

    private static Socket Peer()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 << 20;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
