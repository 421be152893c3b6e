using System.Net;
using Relay.Control.Addressing;
using Relay.Control.L2tp;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Wire.L2tp;

namespace Relay.Control.Sessions;

/// <summary>
/// The LNS side of a relay, sans I/O: the L2TP engine, one PPP session (authenticator) per
/// established L2TP session, and the lease table. It turns "L2TP session established" into
/// "PPP authenticated and an address leased" (<see cref="SessionReady"/>), tears sessions down
/// when PPP fails or ends, and releases leases. Control-loop thread only.
/// </summary>
public sealed partial class LnsController
{
    private static readonly TimeSpan AuthFailureWindow = TimeSpan.FromMinutes(1);

    private LnsOptions _options;
    private readonly Random? _random;
    private readonly Dictionary<SessionKey, PppContext> _sessions = new();
    private readonly Dictionary<ushort, Queue<TimeSpan>> _authFailures = new();
    private readonly PriorityQueue<PppContext, TimeSpan> _timers = new();

    public LnsController(LnsOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _random = random;
        L2tp = new L2tpEngine(options.L2tp with { Role = L2tpRole.Lns }, random);
        Leases = new LeaseTable(options.Pools, options.ServerAddresses.ToArray());
    }

    public L2tpEngine L2tp { get; }

    public LeaseTable Leases { get; }

    /// <summary>Datagrams to send (L2TP control messages and PPP in data messages). Drain after every call.</summary>
    public List<OutgoingDatagram> Outbox { get; } = new();

    public Queue<SessionEvent> Events { get; } = new();

    /// <summary>The L2TP engine's own events, after the controller has acted on them (for logs and counters).</summary>
    public Queue<L2tpEvent> L2tpEvents { get; } = new();

    public SessionCounters Counters { get; } = new();

    /// <summary>Tunnels and sessions ended, by how and with which result code (metrics).</summary>
    public TeardownCounters Teardowns { get; } = new();

    public int ReadySessions { get; private set; }

    /// <summary>
    /// Where PPP frames this controller sends on a sequenced session take their Ns once the data
    /// plane forwards into that session too (RFC 2661 §5.4: one sequence per session and
    /// direction). Returns null while the data plane does not know the session: the controller
    /// then counts on its own (<see cref="NextDataNs"/> hands the count over).
    /// </summary>
    public Func<SessionKey, ushort?>? SharedDataNs { get; set; }

    /// <summary>The Ns the controller's next data message on <paramref name="key"/> would carry, or null for an unknown session.</summary>
    public ushort? NextDataNs(SessionKey key) => _sessions.TryGetValue(key, out var c) ? c.NextDataNs : null;

    /// <summary>The PPP state of a session, for the API and tests.</summary>
    public PppSession? FindPpp(SessionKey key) => _sessions.TryGetValue(key, out var c) ? c.Ppp : null;

    /// <summary>A control message (T bit set).</summary>
    public void ReceiveControl(IPEndPoint from, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        L2tp.Receive(from, datagram, now);
        Drain(now);
    }

    /// <summary>
    /// A data message the data plane does not forward itself: PPP control protocols (LCP,
    /// authentication, IPCP, CCP...) for a session. Checked against the tunnel's peer address.
    /// </summary>
    public void ReceiveData(IPEndPoint from, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        if (L2tpHeader.TryParse(datagram, out var header) != L2tpParseStatus.Ok || header.IsControl)
        {
            Counters.MalformedData++;
            return;
        }
        if (!L2tp.Tunnels.TryGetValue(header.TunnelId, out var tunnel) || !tunnel.Peer.Equals(from))
        {
            Counters.DataForUnknownSession++;
            return;
        }
        if (!_sessions.TryGetValue(new SessionKey(header.TunnelId, header.SessionId), out var context))
        {
            Counters.DataForUnknownSession++;
            return;
        }
        context.Ppp.Receive(datagram.Slice(header.PayloadStart, header.PayloadLength), now);
        Pump(context, now);
        Drain(now);
    }

    /// <summary>Ends a session from this side: PPP Terminate, then CDN (administrative).</summary>
    public bool CloseSession(SessionKey key, string reason, TimeSpan now)
    {
        if (!_sessions.TryGetValue(key, out var context))
        {
            return false;
        }
        context.CloseReason = reason;
        context.Ppp.Close(reason, now);
        Pump(context, now);
        Drain(now);
        return true;
    }

    /// <summary>
    /// An asynchronous authenticator's verdict for a session's pending request
    /// (<see cref="PppSession.CompleteAuthentication"/>); false when the session or the request
    /// is gone (closed, timed out, answered), in which case nothing happens.
    /// </summary>
    public bool CompleteAuthentication(SessionKey key, long requestId, PppAuthVerdict verdict, TimeSpan now)
    {
        if (!_sessions.TryGetValue(key, out var context) || !context.Ppp.CompleteAuthentication(requestId, verdict, now))
        {
            return false;
        }
        Pump(context, now);
        Drain(now);
        return true;
    }

    public void Tick(TimeSpan now)
    {
        L2tp.Tick(now);
        while (_timers.TryPeek(out var context, out var at) && at <= now)
        {
            _timers.Dequeue();
            if (context.Removed || context.ScheduledWake != at)
            {
                continue;
            }
            context.ScheduledWake = null;
            context.Ppp.Tick(now);
            Pump(context, now);
        }
        Drain(now);
    }

    public TimeSpan? NextDeadline()
    {
        var next = L2tp.NextDeadline();
        while (_timers.TryPeek(out var context, out var at))
        {
            if (!context.Removed && context.ScheduledWake == at)
            {
                return next is null || at < next ? at : next;
            }
            _timers.Dequeue();
        }
        return next;
    }

    /// <summary>Everything one PPP session and its L2TP session need to find each other.</summary>
    private sealed class PppContext(SessionKey key, PppSession ppp, SessionEstablished l2tp)
    {
        public SessionKey Key { get; } = key;

        public PppSession Ppp { get; } = ppp;

        public SessionEstablished L2tp { get; } = l2tp;

        public ushort NextDataNs { get; set; }

        /// <summary>What the authenticator's verdict allows (secrets-file address column).</summary>
        public IReadOnlyList<string> Addresses { get; set; } = [];

        public string? User { get; set; }

        public uint? Address { get; set; }

        public bool Ready { get; set; }

        public bool Removed { get; set; }

        public string? CloseReason { get; set; }

        public ushort CdnResult { get; set; } = ResultCodes.CdnAdministrative;

        public TimeSpan? ScheduledWake { get; set; }
    }
}
