using System.Net;
using Relay.DataPlane.Sockets;

namespace Relay.DataPlane.Tests.Sockets;

/// <summary>UDP_SEGMENT on send and UDP_GRO on receive, on loopback.</summary>
public class UdpSegmentationTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public void A_run_of_same_size_datagrams_goes_as_one_gso_message_and_arrives_as_one_gro_train_split_exactly()
    {
        using var sender = UdpBatchSocket.Bind(Loopback, batchSize: 32, gso: true);
        using var receiver = UdpBatchSocket.Bind(Loopback, batchSize: 8, gro: true);
        var destination = UdpPeer.FromEndPoint(receiver.LocalEndPoint);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(sender.Enqueue(Payload(i, i == 19 ? 300 : 1000), destination)); // the last one shorter
        }
        sender.Flush();
        Assert.Equal(1, sender.GsoMessages);
        Assert.Equal(0, sender.SendErrors);

        var seen = new List<byte[]>();
        while (seen.Count < 20)
        {
            var n = receiver.Receive(5000);
            Assert.True(n > 0, "timed out");
            for (var k = 0; k < n; k++)
            {
                var train = receiver.Datagram(k);
                var segment = receiver.SegmentSize(k);
                if (segment == 0)
                {
                    seen.Add(train.ToArray());
                    continue;
                }
                for (var offset = 0; offset < train.Length; offset += segment)
                {
                    seen.Add(train.Slice(offset, Math.Min(segment, train.Length - offset)).ToArray());
                }
            }
        }
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(Payload(i, i == 19 ? 300 : 1000), seen[i]);
        }
        Assert.True(receiver.GroTrains >= 1, "no GRO train received");
    }

    [Fact]
    public void Different_destinations_or_sizes_are_not_coalesced()
    {
        using var sender = UdpBatchSocket.Bind(Loopback, batchSize: 32, gso: true);
        using var one = UdpBatchSocket.Bind(Loopback);
        using var two = UdpBatchSocket.Bind(Loopback);
        var first = UdpPeer.FromEndPoint(one.LocalEndPoint);
        var second = UdpPeer.FromEndPoint(two.LocalEndPoint);
        sender.Enqueue(Payload(0, 100), first);
        sender.Enqueue(Payload(1, 100), second);
        sender.Enqueue(Payload(2, 200), second); // longer than the run's size: a new message
        sender.Flush();
        Assert.Equal(0, sender.GsoMessages);
        Assert.Equal(1, Drain(one));
        Assert.Equal(2, Drain(two));
    }

    private static int Drain(UdpBatchSocket socket)
    {
        var total = 0;
        int n;
        while ((n = socket.Receive(total == 0 ? 5000 : 200)) > 0)
        {
            total += n;
        }
        return total;
    }

    private static byte[] Payload(int seed, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 7 + i);
        }
        return bytes;
    }
}
