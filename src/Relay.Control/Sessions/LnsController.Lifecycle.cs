using System.Net;
using Relay.Control.Addressing;
using Relay.Control.L2tp;
using Relay.Control.Ppp;

namespace Relay.Control.Sessions;

public sealed partial class LnsController
{
    /// <summary>Moves the L2TP engine's datagrams and events on: sessions get or lose their PPP.</summary>
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
                case SessionEstablished up:
                    StartPpp(up, now);
                    break;
                case SessionClosed closed:
                    Teardowns.Count(closed);
                    EndPpp(new SessionKey(closed.TunnelId, closed.SessionId), closed.ByPeer ? "closed by peer" : closed.Message ?? "closed", now);
                    break;
                case TunnelEstablished t:
                    Events.Enqueue(new SessionNotice(new SessionKey(t.TunnelId, 0), $"tunnel up with {t.Peer} (host \"{t.PeerHostName}\")"));
                    break;
                case TunnelClosed t:
                    Teardowns.Count(t);
                    _authFailures.Remove(t.TunnelId);
                    Events.Enqueue(new SessionNotice(new SessionKey(t.TunnelId, 0), $"tunnel closed ({t.Reason}{(t.ResultCode is null ? "" : $", result {t.ResultCode}")}{(t.Message is null ? "" : $" \"{t.Message}\"")})"));
                    break;
            }
        }
    }

    private void StartPpp(SessionEstablished up, TimeSpan now)
    {
        var key = new SessionKey(up.TunnelId, up.SessionId);
        PppContext? context = null;
        var ppp = new PppSession(_options.Ppp with { Role = PppRole.Authenticator }, () => AssignAddress(context!), _random);
        context = new PppContext(key, ppp, up);
        _sessions[key] = context;
        ppp.Open(now);
        Pump(context, now);
    }

    /// <summary>The L2TP session is gone: PPP goes down with it, the lease is released.</summary>
    private void EndPpp(SessionKey key, string reason, TimeSpan now)
    {
        if (!_sessions.Remove(key, out var context))
        {
            return;
        }
        context.Removed = true;
        context.Ppp.LowerLayerDown(reason, now);
        IPAddress? address = null;
        if (context.Address is { } leased)
        {
            Leases.Release(key);
            address = Ipv4Address.ToIPAddress(leased);
        }
        if (context.Ready)
        {
            ReadySessions--;
        }
        Events.Enqueue(new SessionEnded(key, context.CloseReason ?? reason, address, context.Ready));
    }

    /// <summary>Sends what PPP wants sent and acts on what it reports.</summary>
    private void Pump(PppContext context, TimeSpan now)
    {
        var ppp = context.Ppp;
        foreach (var frame in ppp.Outbox)
        {
            ushort? ns = context.L2tp.DataSequencing ? SharedDataNs?.Invoke(context.Key) ?? context.NextDataNs++ : null;
            Outbox.Add(new OutgoingDatagram(context.L2tp.Peer, L2tpDataFraming.Wrap(context.L2tp.PeerTunnelId, context.L2tp.PeerSessionId, ns, frame)));
        }
        ppp.Outbox.Clear();
        while (ppp.Events.TryDequeue(out var e))
        {
            switch (e)
            {
                case Authenticated a:
                    context.User = a.User;
                    context.Addresses = a.Addresses;
                    Events.Enqueue(new SessionNotice(context.Key, $"user \"{a.User}\" authenticated ({a.Method})"));
                    break;
                case AuthenticationPending p:
                    Events.Enqueue(new SessionNotice(context.Key, $"user \"{p.User}\" awaiting the authenticator's verdict ({p.Method}, request {p.RequestId})"));
                    break;
                case AuthenticationFailed f:
                    context.CloseReason = $"PPP authentication failed for \"{f.User}\": {f.Reason}";
                    Counters.AuthenticationFailures++;
                    Counters.AuthenticationFailuresByMethod[f.Method is { } method ? (int)method : Counters.AuthenticationFailuresByMethod.Length - 1]++;
                    NoteAuthFailure(context.Key.TunnelId, now);
                    break;
                case NetworkReady ready when !context.Ready:
                    context.Ready = true;
                    ReadySessions++;
                    Counters.Ready++;
                    Events.Enqueue(new SessionReady(context.Key, context.L2tp.Peer, context.L2tp.PeerTunnelId, context.L2tp.PeerSessionId,
                        context.L2tp.DataSequencing, ready.LocalAddress, ready.PeerAddress, ready.Mru, ready.Dns, context.User));
                    break;
                case EchoTimeout:
                    Counters.EchoTimeouts++;
                    context.CloseReason = "PPP peer stopped answering LCP Echo";
                    context.CdnResult = ResultCodes.CdnLostCarrier;
                    break;
                case Terminated t:
                    context.CloseReason ??= $"PPP terminated: {t.Reason}";
                    break;
            }
        }
        if (ppp.IsFinished && !context.Removed)
        {
            // PPP is over: the L2TP session goes with it (CDN), which removes the context.
            L2tp.CloseSession(context.Key.TunnelId, context.Key.SessionId, context.CdnResult, null, context.CloseReason, now);
            return;
        }
        if (!context.Removed && ppp.NextDeadline() is { } at && context.ScheduledWake != at)
        {
            context.ScheduledWake = at;
            _timers.Enqueue(context, at);
        }
    }

    /// <summary>
    /// IPCP asks for the peer's address once, after authentication: the verdict's (secrets file's)
    /// static address if it names one, none if it forbids any ("-"), else the next from the default pool.
    /// </summary>
    private IPAddress? AssignAddress(PppContext context)
    {
        var addresses = context.Addresses;
        LeaseResult result;
        uint address = 0;
        if (addresses is ["-"])
        {
            Counters.AddressRefused++;
            context.CloseReason = $"secrets file allows no address for \"{context.User}\"";
            return null;
        }
        if (addresses.Count == 1 && Ipv4Address.TryParse(addresses[0], out var fixedAddress))
        {
            result = Leases.TryLeaseStatic(context.Key, fixedAddress);
            address = fixedAddress;
        }
        else
        {
            var pool = _options.DefaultPool ?? (Leases.Pools.Count > 0 ? Leases.Pools[0].Name : "");
            result = Leases.TryLease(pool, context.Key, out address);
        }
        if (result is not (LeaseResult.Ok or LeaseResult.AlreadyLeased))
        {
            Counters.AddressRefused++;
            context.CloseReason = $"no address for \"{context.User}\": {result}";
            return null;
        }
        context.Address = address;
        return Ipv4Address.ToIPAddress(address);
    }

    /// <summary>Too many failed logins on one tunnel in a minute close the tunnel: guessing costs a whole handshake.</summary>
    private void NoteAuthFailure(ushort tunnelId, TimeSpan now)
    {
        if (!_authFailures.TryGetValue(tunnelId, out var times))
        {
            _authFailures[tunnelId] = times = new Queue<TimeSpan>();
        }
        times.Enqueue(now);
        while (times.TryPeek(out var oldest) && now - oldest > AuthFailureWindow)
        {
            times.Dequeue();
        }
        if (times.Count > _options.MaxAuthFailuresPerTunnelPerMinute)
        {
            Counters.TunnelsClosedForAuthFailures++;
            _authFailures.Remove(tunnelId);
            L2tp.CloseTunnel(tunnelId, ResultCodes.StopGeneralError, null, "too many PPP authentication failures", now);
        }
    }
}
