using System.Net;
using Relay.Control.L2tp;
using Relay.Control.Sessions;

namespace Relay.Control.Tests.Sessions;

/// <summary>
/// An LNS controller and a LAC controller over a simulated UDP path (loss, duplication, delay),
/// with a simulated clock: the whole L2TP + PPP + addressing stack, in memory.
/// </summary>
internal sealed class ControllerPair
{
    public static readonly IPEndPoint LnsAddress = new(IPAddress.Parse("198.18.0.1"), 1701);
    public static readonly IPEndPoint LacAddress = new(IPAddress.Parse("198.18.0.2"), 1701);

    private readonly Random _link;
    private readonly PriorityQueue<(bool ToLns, byte[] Datagram), (TimeSpan, long)> _inFlight = new();
    private long _order;

    public ControllerPair(LnsOptions lns, LacOptions lac, int seed = 0, double loss = 0, double duplication = 0, int maxDelayMs = 0)
    {
        Lns = new LnsController(lns, new Random(seed * 2 + 1));
        Lac = new LacController(lac, new Random(seed * 2 + 2));
        _link = new Random(seed);
        Loss = loss;
        Duplication = duplication;
        MaxDelayMs = maxDelayMs;
    }

    public LnsController Lns { get; }

    public LacController Lac { get; }

    public TimeSpan Now { get; private set; }

    public double Loss { get; set; }

    public double Duplication { get; set; }

    public int MaxDelayMs { get; set; }

    public List<SessionEvent> LnsEvents { get; } = [];

    public List<SessionEvent> LacEvents { get; } = [];

    public bool RunUntil(Func<bool> done, TimeSpan? limit = null)
    {
        var end = Now + (limit ?? TimeSpan.FromMinutes(5));
        while (true)
        {
            Pump();
            if (done())
            {
                return true;
            }
            TimeSpan? next = null;
            foreach (var t in new[] { Lns.NextDeadline(), Lac.NextDeadline(), _inFlight.TryPeek(out _, out var p) ? p.Item1 : (TimeSpan?)null })
            {
                if (t is { } v && (next is null || v < next))
                {
                    next = v;
                }
            }
            if (next is null || next > end)
            {
                return done();
            }
            Now = next.Value > Now ? next.Value : Now;
            Deliver();
            Lns.Tick(Now);
            Lac.Tick(Now);
        }
    }

    private void Deliver()
    {
        while (_inFlight.TryPeek(out var item, out var at) && at.Item1 <= Now)
        {
            _inFlight.Dequeue();
            var control = (item.Datagram[0] & 0x80) != 0;
            if (item.ToLns)
            {
                if (control)
                {
                    Lns.ReceiveControl(LacAddress, item.Datagram, Now);
                }
                else
                {
                    Lns.ReceiveData(LacAddress, item.Datagram, Now);
                }
            }
            else if (control)
            {
                Lac.ReceiveControl(LnsAddress, item.Datagram, Now);
            }
            else
            {
                Lac.ReceiveData(LnsAddress, item.Datagram, Now);
            }
        }
    }

    private void Pump()
    {
        for (var round = 0; round < 10_000; round++)
        {
            Deliver();
            var moved = Move(Lns.Outbox, toLns: false) | Move(Lac.Outbox, toLns: true);
            while (Lns.Events.TryDequeue(out var e))
            {
                LnsEvents.Add(e);
            }
            while (Lac.Events.TryDequeue(out var e))
            {
                LacEvents.Add(e);
            }
            if (!moved && !(_inFlight.TryPeek(out _, out var at) && at.Item1 <= Now))
            {
                return;
            }
        }
        throw new InvalidOperationException("controllers keep talking without time passing");
    }

    private bool Move(List<OutgoingDatagram> outbox, bool toLns)
    {
        var moved = outbox.Count > 0;
        foreach (var d in outbox)
        {
            if (_link.NextDouble() < Loss)
            {
                continue;
            }
            var copies = _link.NextDouble() < Duplication ? 2 : 1;
            for (var c = 0; c < copies; c++)
            {
                _inFlight.Enqueue((toLns, d.Payload), (Now + TimeSpan.FromMilliseconds(MaxDelayMs == 0 ? 0 : _link.Next(MaxDelayMs)), _order++));
            }
        }
        outbox.Clear();
        return moved;
    }
}
