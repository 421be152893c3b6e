using System.Net;
using Relay.Control.L2tp;

namespace Relay.Control.Tests.L2tp;

/// <summary>
/// An LNS engine and a LAC engine joined by a simulated UDP path that can lose, duplicate and
/// reorder datagrams, driven by a simulated clock. Nothing sleeps: time jumps to the next
/// deadline or delivery.
/// </summary>
internal sealed class EnginePair
{
    public static readonly IPEndPoint LnsAddress = new(IPAddress.Parse("198.18.0.1"), 1701);
    public static readonly IPEndPoint LacAddress = new(IPAddress.Parse("198.18.0.2"), 40000);

    private readonly Random _link;
    private readonly PriorityQueue<(L2tpEngine To, IPEndPoint From, byte[] Datagram), (TimeSpan, long)> _inFlight = new();
    private long _order;

    public EnginePair(L2tpOptions lns, L2tpOptions lac, int seed = 0, double loss = 0, double duplication = 0, int maxDelayMs = 0)
    {
        Lns = new L2tpEngine(lns, new Random(seed * 2 + 1));
        Lac = new L2tpEngine(lac with { Role = L2tpRole.Lac }, new Random(seed * 2 + 2));
        _link = new Random(seed);
        Loss = loss;
        Duplication = duplication;
        MaxDelayMs = maxDelayMs;
    }

    public L2tpEngine Lns { get; }

    public L2tpEngine Lac { get; }

    public TimeSpan Now { get; private set; }

    public double Loss { get; set; }

    public double Duplication { get; set; }

    public int MaxDelayMs { get; set; }

    /// <summary>Every datagram put on the path, with its direction, for assertions on the wire.</summary>
    public List<(bool FromLns, byte[] Datagram)> Wire { get; } = [];

    public List<L2tpEvent> LnsEvents { get; } = [];

    public List<L2tpEvent> LacEvents { get; } = [];

    /// <summary>Optional rewrite of what the LAC sends (to inject bad input); return null to drop.</summary>
    public Func<byte[], byte[]?>? TamperLac { get; set; }

    /// <summary>Moves datagrams and time until <paramref name="done"/> holds or time runs out.</summary>
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
            var next = NextEvent();
            if (next is null || next > end)
            {
                return done();
            }
            Now = next.Value;
            DeliverDue();
            Lns.Tick(Now);
            Lac.Tick(Now);
        }
    }

    /// <summary>Runs until both engines have nothing left to do (no timers, nothing in flight).</summary>
    public void RunToQuiescence(TimeSpan? limit = null) => RunUntil(() => false, limit ?? TimeSpan.FromMinutes(10));

    public void Advance(TimeSpan by)
    {
        var until = Now + by;
        RunUntil(() => Now >= until, by);
        if (Now < until)
        {
            Now = until;
            Lns.Tick(Now);
            Lac.Tick(Now);
            Pump();
        }
    }

    private TimeSpan? NextEvent()
    {
        TimeSpan? next = null;
        foreach (var t in new[] { Lns.NextDeadline(), Lac.NextDeadline(), _inFlight.TryPeek(out _, out var p) ? p.Item1 : (TimeSpan?)null })
        {
            if (t is { } v && (next is null || v < next))
            {
                next = v;
            }
        }
        return next is { } n && n < Now ? Now : next;
    }

    private void DeliverDue()
    {
        while (_inFlight.TryPeek(out var item, out var at) && at.Item1 <= Now)
        {
            _inFlight.Dequeue();
            item.To.Receive(item.From, item.Datagram, Now);
        }
    }

    private void Pump()
    {
        for (var round = 0; round < 1000; round++)
        {
            DeliverDue();
            var moved = Drain(Lns, Lac, LnsAddress, LnsEvents, true) | Drain(Lac, Lns, LacAddress, LacEvents, false);
            if (!moved && !(_inFlight.TryPeek(out _, out var at) && at.Item1 <= Now))
            {
                return;
            }
        }
        throw new InvalidOperationException("engines keep talking without time passing");
    }

    private bool Drain(L2tpEngine from, L2tpEngine to, IPEndPoint fromAddress, List<L2tpEvent> events, bool fromLns)
    {
        var moved = from.Outbox.Count > 0;
        foreach (var d in from.Outbox)
        {
            var payload = fromLns || TamperLac is null ? d.Payload : TamperLac(d.Payload);
            if (payload is null)
            {
                continue;
            }
            Wire.Add((fromLns, payload));
            if (_link.NextDouble() < Loss)
            {
                continue;
            }
            var copies = _link.NextDouble() < Duplication ? 2 : 1;
            for (var c = 0; c < copies; c++)
            {
                var delay = TimeSpan.FromMilliseconds(MaxDelayMs == 0 ? 0 : _link.Next(MaxDelayMs));
                _inFlight.Enqueue((to, fromAddress, payload), (Now + delay, _order++));
            }
        }
        from.Outbox.Clear();
        while (from.Events.TryDequeue(out var e))
        {
            events.Add(e);
        }
        return moved;
    }
}
