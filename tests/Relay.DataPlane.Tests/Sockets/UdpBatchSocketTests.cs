using System.Net;
using System.Net.Sockets;
using Relay.DataPlane.Sockets;

namespace Relay.DataPlane.Tests.Sockets;

/// <summary>recvmmsg/sendmmsg batching against ordinary sockets on loopback.</summary>
public class UdpBatchSocketTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public void Receives_a_burst_in_batches_with_each_datagram_and_its_source_intact()
    {
        using var batch = UdpBatchSocket.Bind(Loopback, batchSize: 16);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(Loopback);
        for (var i = 0; i < 100; i++)
        {
            sender.SendTo(Payload(i), batch.LocalEndPoint);
        }
        var seen = new List<int>();
        var calls = 0;
        while (seen.Count < 100)
        {
            var n = batch.Receive(timeoutMs: 5000);
            Assert.True(n > 0, "timed out waiting for datagrams");
            Assert.True(n <= 16);
            calls++;
            for (var i = 0; i < n; i++)
            {
                var d = batch.Datagram(i);
                Assert.Equal(Payload(d[0]), d.ToArray());
                Assert.Equal(sender.LocalEndPoint, batch.Source(i).ToEndPoint());
                seen.Add(d[0]);
            }
        }
        Assert.Equal(Enumerable.Range(0, 100), seen);
        Assert.True(calls < 100, $"{calls} receive calls for 100 datagrams: not batched");
    }

    [Fact]
    public void Sends_every_queued_datagram_with_one_flush()
    {
        using var batch = UdpBatchSocket.Bind(Loopback, batchSize: 8);
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(Loopback);
        receiver.ReceiveTimeout = 5000;
        var destination = UdpPeer.FromEndPoint((IPEndPoint)receiver.LocalEndPoint!);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(batch.Enqueue(Payload(i), destination));
        }
        batch.Flush();
        Assert.Equal(0, batch.Queued);
        var buffer = new byte[2048];
        for (var i = 0; i < 20; i++)
        {
            var n = receiver.Receive(buffer);
            Assert.Equal(Payload(i), buffer[..n]);
        }
        Assert.Equal(0, batch.SendErrors);
    }

    [Fact]
    public void Datagram_longer_than_a_slot_is_dropped_and_counted()
    {
        using var batch = UdpBatchSocket.Bind(Loopback, batchSize: 4, slotLength: 64);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.SendTo(new byte[65], batch.LocalEndPoint);
        sender.SendTo(new byte[64], batch.LocalEndPoint);
        var total = 0;
        while (total == 0)
        {
            total = batch.Receive(5000);
        }
        Assert.Equal(1, total);
        Assert.Equal(64, batch.Datagram(0).Length);
        Assert.Equal(1, batch.TruncatedDropped);
    }

    [Fact]
    public void Wake_returns_a_blocked_receive_with_nothing()
    {
        using var batch = UdpBatchSocket.Bind(Loopback);
        using var receiving = new ManualResetEventSlim();
        var result = -1;
        var receiver = new Thread(() =>
        {
            receiving.Set();
            result = batch.Receive(timeoutMs: 60_000);
        });
        receiver.Start();
        receiving.Wait();
        // Whether the receiver is already inside poll() or about to enter it, the eventfd stays
        // readable until consumed, so the wake cannot be lost.
        batch.Wake();
        Assert.True(receiver.Join(TimeSpan.FromSeconds(30)), "Receive did not return after Wake");
        Assert.Equal(0, result);
    }

    [Fact]
    public void Dual_stack_socket_reports_ipv4_peers_as_ipv4()
    {
        using var batch = UdpBatchSocket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(Loopback);
        sender.SendTo([1, 2, 3], new IPEndPoint(IPAddress.Loopback, batch.LocalEndPoint.Port));
        Assert.Equal(1, batch.Receive(5000));
        var source = batch.Source(0);
        Assert.False(source.IsIPv6);
        Assert.Equal(sender.LocalEndPoint, source.ToEndPoint());
        // And replies go back over the same dual-stack socket.
        Assert.True(batch.Enqueue([9], source));
        batch.Flush();
        var buffer = new byte[16];
        sender.ReceiveTimeout = 5000;
        Assert.Equal(1, sender.Receive(buffer));
    }

    [Fact]
    public void Receive_and_send_allocate_nothing_once_running()
    {
        using var batch = UdpBatchSocket.Bind(Loopback, batchSize: 32);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(Loopback);
        var back = UdpPeer.FromEndPoint((IPEndPoint)sender.LocalEndPoint!);
        var payload = Payload(7);
        for (var i = 0; i < 64; i++)
        {
            sender.SendTo(payload, batch.LocalEndPoint);
        }
        var received = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (received < 64)
        {
            var n = batch.Receive(5000);
            if (n == 0)
            {
                break;
            }
            for (var i = 0; i < n; i++)
            {
                batch.Enqueue(batch.Datagram(i), batch.Source(i));
            }
            batch.Flush();
            received += n;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(64, received);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Binding_a_taken_port_throws_a_socket_exception_naming_the_error()
    {
        using var first = UdpBatchSocket.Bind(Loopback);
        var e = Assert.Throws<SocketException>(() => UdpBatchSocket.Bind(first.LocalEndPoint));
        Assert.Equal(SocketError.AddressAlreadyInUse, e.SocketErrorCode);
    }

    private static byte[] Payload(int i) => Enumerable.Range(0, 20 + i).Select(b => (byte)(b == 0 ? i : b)).ToArray();
}
