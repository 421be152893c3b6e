using Relay.Control.L2tp.Transport;
using static Relay.Control.Tests.L2tp.Transport.ControlMessages;

namespace Relay.Control.Tests.L2tp.Transport;

/// <summary>
/// Two channels joined by a link that loses, duplicates and reorders datagrams, driven by a
/// simulated clock: every message must arrive once, in order, and both sides end idle.
/// </summary>
public class LossyLinkTests
{
    public static TheoryData<int> Seeds() => TestSeeds.Range(300);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_message_arrives_once_and_in_order_through_20_percent_loss_duplication_and_reordering(int seed)
    {
        var random = new Random(seed);
        var options = new ReliableDeliveryOptions { MaxRetransmissions = 10 };
        var a = new ControlChannel(options);
        var b = new ControlChannel(options);
        a.SetPeerReceiveWindow(options.ReceiveWindow);
        b.SetPeerReceiveWindow(4);
        var link = new PriorityQueue<(ControlChannel To, byte[] Datagram), TimeSpan>();
        var delivered = new Dictionary<ControlChannel, List<int>> { [a] = [], [b] = [] };
        const int perSide = 40;
        var now = TimeSpan.Zero;
        var nextA = 0;
        var nextB = 0;
        var output = new List<byte[]>();

        void Transmit(ControlChannel from, ControlChannel to)
        {
            output.Clear();
            from.Poll(now, output);
            foreach (var d in output)
            {
                if (random.NextDouble() < 0.2)
                {
                    continue;
                }
                var copies = random.NextDouble() < 0.1 ? 2 : 1;
                for (var c = 0; c < copies; c++)
                {
                    link.Enqueue((to, d), now + TimeSpan.FromMilliseconds(5 + random.Next(120)));
                }
            }
        }

        for (var step = 0; step < 200_000; step++)
        {
            if (nextA < perSide && random.NextDouble() < 0.3 && a.Enqueue(Numbered(nextA)))
            {
                nextA++;
            }
            if (nextB < perSide && random.NextDouble() < 0.3 && b.Enqueue(Numbered(1000 + nextB)))
            {
                nextB++;
            }
            Transmit(a, b);
            Transmit(b, a);
            if (nextA == perSide && nextB == perSide && a.IsIdle && b.IsIdle && link.Count == 0)
            {
                break;
            }
            var next = new[] { a.NextDeadline(now), b.NextDeadline(now), link.TryPeek(out _, out var at) ? at : null, now + TimeSpan.FromMilliseconds(50) }
                .Where(t => t is not null).Min()!.Value;
            now = next > now ? next : now;
            while (link.TryPeek(out var item, out var when) && when <= now)
            {
                link.Dequeue();
                var (to, datagram) = item;
                to.Receive(Ns(datagram), Nr(datagram), IsZeroLength(datagram), datagram, now);
                while (to.TryTakeDelivered(out var m))
                {
                    delivered[to].Add(NumberOf(m));
                }
            }
        }

        Assert.False(a.Failed || b.Failed, $"seed {seed}: a channel gave up");
        Assert.Equal(Enumerable.Range(1000, perSide), delivered[a]);
        Assert.Equal(Enumerable.Range(0, perSide), delivered[b]);
        Assert.True(a.IsIdle && b.IsIdle);
        Assert.True(now < TimeSpan.FromMinutes(10), $"took {now} of simulated time");
    }
}
