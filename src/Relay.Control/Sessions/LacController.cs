using System.Net;
using Relay.Control.Addressing;
using Relay.Control.L2tp;
using Relay.Control.Ppp;
using Relay.Wire.L2tp;

namespace Relay.Control.Sessions;

/// <summary>
/// The client side, sans I/O: <see cref="Dial"/> opens a tunnel to the LNS, places one call in
/// it, and runs PPP as the authenticating peer until IPCP gives us an address
/// (<see cref="SessionReady"/>, with our address as LocalAddress). Many dials may run at once (the
/// load generator uses thousands); relay-client uses one.
/// </summary>
public sealed class LacController
{
    private readonly LacOptions _options;
    private readonly Random? _random;
    private readonly Dictionary<SessionKey, ClientCall> _calls = new();
    private readonly PriorityQueue<ClientCall, TimeSpan> _timers = new();

    public LacController(LacOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _random = random;
        L2tp = new L2tpEngine(options.L2tp with { Role = L2tpRole.Lac }, random);
    }

    public L2tpEngine L2tp { get; }

    public List<OutgoingDatagram> Outbox { get; } = new();

    public Queue<SessionEvent> Events { get; } = new();

    /// <summary>The L2TP engine's own events, after the controller has acted on them (for logs and counters).</summary>
    public Queue<L2tpEvent> L2tpEvents { get; } = new();

    public int ReadySessions { get; private set; }

    /// <summary>Opens a tunnel to the LNS; the session and PPP follow by themselves. Returns the tunnel id.</summary>
    public ushort Dial(TimeSpan now)
    {
        var tunnel = L2tp.OpenTunnel(_options.Lns, now);
        Drain(now);
        return tunnel;
    }

    /// <summary>Ends a tunnel (PPP Terminate is skipped: StopCCN ends everything in it).</summary>
    public void HangUp(ushort tunnelId, string reason, TimeSpan now)
    {
        L2tp.CloseTunnel(tunnelId, ResultCodes.StopGeneralRequest, null, reason, now);
        Drain(now);
    }

    public void ReceiveControl(IPEndPoint from, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        L2tp.Receive(from, datagram, now);
        Drain(now);
    }

    /// <summary>A data message carrying a PPP control protocol for one of our sessions.</summary>
    public void ReceiveData(IPEndPoint from, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        if (L2tpHeader.TryParse(datagram, out var header) != L2tpParseStatus.Ok || header.IsControl
            || !_calls.TryGetValue(new SessionKey(header.TunnelId, header.SessionId), out var call)
            || !call.L2tp.Peer.Equals(from))
        {
            return;
        }
        call.Ppp.Receive(datagram.Slice(header.PayloadStart, header.PayloadLength), now);
        Pump(call, now);
        Drain(now);
    }

    public void Tick(TimeSpan now)
    {
        L2tp.Tick(now);
        while (_timers.TryPeek(out var call, out var at) && at <= now)
        {
            _timers.Dequeue();
            if (call.Removed || call.ScheduledWake != at)
            {
                continue;
            }
            call.ScheduledWake = null;
            call.Ppp.Tick(now);
            Pump(call, now);
        }
        Drain(now);
    }

    public TimeSpan? NextDeadline()
    {
        var next = L2tp.NextDeadline();
        while (_timers.TryPeek(out var call, out var at))
        {
            if (!call.Removed && call.ScheduledWake == at)
            {
                return next is null || at < next ? at : next;
            }
            _timers.Dequeue();
        }
        return next;
    }

    private void Drain(TimeSpan now)
    {
        while (true)
        {
            Outbox.AddRange(L2tp.Outbox);
            L2tp.Outbox.Clear();
            if (!L2tp.Events.TryDequeue(out var e))
            {
                return;
            }
            L2tpEvents.Enqueue(e);
            switch (e)
            {
                case TunnelEstablished t:
                    Events.Enqueue(new SessionNotice(new SessionKey(t.TunnelId, 0), $"tunnel up with {t.Peer} (host \"{t.PeerHostName}\")"));
                    L2tp.OpenSession(t.TunnelId, now);
                    break;
                case TunnelClosed t:
                    Events.Enqueue(new SessionNotice(new SessionKey(t.TunnelId, 0), $"tunnel closed ({t.Reason}{(t.ResultCode is null ? "" : $", result {t.ResultCode}")}{(t.Message is null ? "" : $" \"{t.Message}\"")})"));
                    break;
                case SessionEstablished up:
                    var call = new ClientCall(new SessionKey(up.TunnelId, up.SessionId), new PppSession(_options.Ppp with { Role = PppRole.Peer }, null, _random), up);
                    _calls[call.Key] = call;
                    call.Ppp.Open(now);
                    Pump(call, now);
                    break;
                case SessionClosed closed:
                    var key = new SessionKey(closed.TunnelId, closed.SessionId);
                    if (_calls.Remove(key, out var gone))
                    {
                        gone.Removed = true;
                        gone.Ppp.LowerLayerDown("L2TP session closed", now);
                        if (gone.Ready)
                        {
                            ReadySessions--;
                        }
                        var reason = gone.CloseReason ?? (closed.ByPeer ? $"closed by the LNS{(closed.ResultCode is null ? "" : $", result {closed.ResultCode}")}{(closed.Message is null ? "" : $" \"{closed.Message}\"")}" : closed.Message ?? "closed");
                        Events.Enqueue(new SessionEnded(key, reason, gone.Address, gone.Ready));
                    }
                    break;
            }
        }
    }

    private void Pump(ClientCall call, TimeSpan now)
    {
        foreach (var frame in call.Ppp.Outbox)
        {
            ushort? ns = call.L2tp.DataSequencing ? call.NextDataNs++ : null;
            Outbox.Add(new OutgoingDatagram(call.L2tp.Peer, L2tpDataFraming.Wrap(call.L2tp.PeerTunnelId, call.L2tp.PeerSessionId, ns, frame)));
        }
        call.Ppp.Outbox.Clear();
        while (call.Ppp.Events.TryDequeue(out var e))
        {
            switch (e)
            {
                case AuthenticationFailed f:
                    call.CloseReason = $"PPP authentication failed: {f.Reason}";
                    break;
                case NetworkReady ready when !call.Ready:
                    call.Ready = true;
                    call.Address = ready.LocalAddress;
                    ReadySessions++;
                    Events.Enqueue(new SessionReady(call.Key, call.L2tp.Peer, call.L2tp.PeerTunnelId, call.L2tp.PeerSessionId,
                        call.L2tp.DataSequencing, ready.LocalAddress, ready.PeerAddress, ready.Mru, ready.Dns, _options.Ppp.Name));
                    break;
                case Terminated t:
                    call.CloseReason ??= $"PPP terminated: {t.Reason}";
                    break;
            }
        }
        if (call.Ppp.IsFinished && !call.Removed)
        {
            L2tp.CloseSession(call.Key.TunnelId, call.Key.SessionId, ResultCodes.CdnAdministrative, null, call.CloseReason, now);
            return;
        }
        if (!call.Removed && call.Ppp.NextDeadline() is { } at && call.ScheduledWake != at)
        {
            call.ScheduledWake = at;
            _timers.Enqueue(call, at);
        }
    }

    private sealed class ClientCall(SessionKey key, PppSession ppp, SessionEstablished l2tp)
    {
        public SessionKey Key { get; } = key;

        public PppSession Ppp { get; } = ppp;

        public SessionEstablished L2tp { get; } = l2tp;

        public ushort NextDataNs { get; set; }

        public bool Ready { get; set; }

        public IPAddress? Address { get; set; }

        public bool Removed { get; set; }

        public string? CloseReason { get; set; }

        public TimeSpan? ScheduledWake { get; set; }
    }
}
