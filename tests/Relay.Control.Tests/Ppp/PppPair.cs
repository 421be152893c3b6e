using System.Net;
using Relay.Control.Ppp;

namespace Relay.Control.Tests.Ppp;

/// <summary>
/// An authenticator (LNS) session and a peer (client) session joined by a simulated L2TP data
/// channel that can lose, duplicate and delay frames, driven by a simulated clock. Nothing
/// sleeps: time jumps to the next deadline or delivery.
/// </summary>
internal sealed class PppPair
{
    public static readonly IPAddress ServerAddress = IPAddress.Parse("100.64.0.1");
    public static readonly IPAddress ClientAddress = IPAddress.Parse("100.64.0.2");
    public static readonly IPAddress Dns1 = IPAddress.Parse("192.0.2.53");
    public static readonly IPAddress Dns2 = IPAddress.Parse("192.0.2.54");

    private readonly Random _link;
    private readonly PriorityQueue<(PppSession To, byte[] Frame), (TimeSpan, long)> _inFlight = new();
    private long _order;

    public PppPair(PppOptions? server = null, PppOptions? client = null, int seed = 0, double loss = 0, double duplication = 0, int maxDelayMs = 0)
    {
        ServerOptions = server ?? DefaultServer();
        ClientOptions = client ?? DefaultClient();
        Server = new PppSession(ServerOptions with { Role = PppRole.Authenticator }, () => { AddressRequests++; return AssignedAddress; }, new Random(seed * 2 + 1));
        Client = new PppSession(ClientOptions with { Role = PppRole.Peer }, null, new Random(seed * 2 + 2));
        _link = new Random(seed);
        Loss = loss;
        Duplication = duplication;
        MaxDelayMs = maxDelayMs;
    }

    public static InMemoryCredentials Secrets => new InMemoryCredentials().Add("alice", "relay", "s3cret-alice").Add("bob", "*", "bob-pw");

    public static PppOptions DefaultServer() => new()
    {
        Role = PppRole.Authenticator,
        Name = "relay",
        AuthMethods = [PppAuthMethod.ChapMd5, PppAuthMethod.Pap],
        Credentials = Secrets,
        ServerAddress = ServerAddress,
        DnsServers = [Dns1, Dns2],
    };

    public static PppOptions DefaultClient(string user = "alice", string secret = "s3cret-alice") => new()
    {
        Role = PppRole.Peer,
        Name = user,
        AuthMethods = [PppAuthMethod.ChapMd5, PppAuthMethod.Pap],
        Credentials = new InMemoryCredentials().Add(user, "*", secret),
    };

    public PppOptions ServerOptions { get; }

    public PppOptions ClientOptions { get; }

    public PppSession Server { get; }

    public PppSession Client { get; }

    public IPAddress? AssignedAddress { get; set; } = ClientAddress;

    public int AddressRequests { get; private set; }

    public TimeSpan Now { get; private set; }

    public double Loss { get; set; }

    public double Duplication { get; set; }

    public int MaxDelayMs { get; set; }

    /// <summary>Every frame put on the link, with its direction.</summary>
    public List<(bool FromServer, byte[] Frame)> Wire { get; } = [];

    public List<PppEvent> ServerEvents { get; } = [];

    public List<PppEvent> ClientEvents { get; } = [];

    /// <summary>Something outside the sessions with its own timer (a slow authentication back end): when it is due, and what it does then.</summary>
    public Func<TimeSpan?>? ExternalDeadline { get; set; }

    /// <summary>Runs at every step of time, before the sessions' own timers.</summary>
    public Action<TimeSpan>? External { get; set; }

    /// <summary>Optional rewrite of what the client sends; return null to drop.</summary>
    public Func<byte[], byte[]?>? TamperClient { get; set; }

    /// <summary>Optional rewrite of what the server sends; return null to drop.</summary>
    public Func<byte[], byte[]?>? TamperServer { get; set; }

    public void Open()
    {
        Server.Open(Now);
        Client.Open(Now);
        Pump();
    }

    public bool BothReady => Server.IpcpState == PppFsmState.Opened && Client.IpcpState == PppFsmState.Opened;

    public bool BothFinished => Server.IsFinished && Client.IsFinished;

    /// <summary>Moves frames and time until <paramref name="done"/> holds or time runs out.</summary>
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
            External?.Invoke(Now);
            Server.Tick(Now);
            Client.Tick(Now);
        }
    }

    public void Advance(TimeSpan by)
    {
        var until = Now + by;
        RunUntil(() => Now >= until, by);
        if (Now < until)
        {
            Now = until;
            External?.Invoke(Now);
            Server.Tick(Now);
            Client.Tick(Now);
            Pump();
        }
    }

    /// <summary>Hands a frame straight to one side, as if it came off the link.</summary>
    public void Inject(PppSession to, byte[] frame)
    {
        to.Receive(frame, Now);
        Pump();
    }

    public void Pump()
    {
        for (var round = 0; round < 10_000; round++)
        {
            DeliverDue();
            var moved = Drain(Server, Client, ServerEvents, true) | Drain(Client, Server, ClientEvents, false);
            if (!moved && !(_inFlight.TryPeek(out _, out var at) && at.Item1 <= Now))
            {
                return;
            }
        }
        throw new InvalidOperationException("sessions keep talking without time passing");
    }

    private TimeSpan? NextEvent()
    {
        TimeSpan? next = null;
        foreach (var t in new[] { Server.NextDeadline(), Client.NextDeadline(), ExternalDeadline?.Invoke(), _inFlight.TryPeek(out _, out var p) ? p.Item1 : (TimeSpan?)null })
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
            item.To.Receive(item.Frame, Now);
        }
    }

    private bool Drain(PppSession from, PppSession to, List<PppEvent> events, bool fromServer)
    {
        var moved = from.Outbox.Count > 0;
        var tamper = fromServer ? TamperServer : TamperClient;
        foreach (var original in from.Outbox)
        {
            var frame = tamper is null ? original : tamper(original);
            if (frame is null)
            {
                continue;
            }
            Wire.Add((fromServer, frame));
            if (_link.NextDouble() < Loss)
            {
                continue;
            }
            var copies = _link.NextDouble() < Duplication ? 2 : 1;
            for (var c = 0; c < copies; c++)
            {
                var delay = TimeSpan.FromMilliseconds(MaxDelayMs == 0 ? 0 : _link.Next(MaxDelayMs));
                _inFlight.Enqueue((to, frame), (Now + delay, _order++));
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
