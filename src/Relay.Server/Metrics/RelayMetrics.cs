using Relay.Control.L2tp;
using Relay.Control.Ppp;
using Relay.Control.Sessions;
using Relay.Server.Hosting;
using Relay.Server.Lns;
using Relay.Wire.L2tp;

namespace Relay.Server.Metrics;

/// <summary>
/// Collects every series relayd exposes, ON the control loop (protocol state is read by its owner
/// thread, never under a lock from outside). Names follow Prometheus conventions: <c>relay_</c>
/// prefix, <c>_total</c> for counters, base units.
/// </summary>
internal static class RelayMetrics
{
    public static List<MetricFamily> Collect(LnsService service, LnsController controller, double uptimeSeconds)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(controller);
        var engine = controller.L2tp;
        var l2tp = engine.Counters;
        var ppp = controller.Counters;
        var families = new List<MetricFamily>
        {
            new MetricFamily("relay_build_info", MetricKind.Gauge, "relayd's version (always 1).").Add(1, L("version", CommandLine.Version)),
            new MetricFamily("relay_uptime_seconds", MetricKind.Gauge, "Seconds since relayd started serving.").Add(uptimeSeconds),
            new MetricFamily("relay_workers", MetricKind.Gauge, "Data-plane worker threads.").Add(service.Workers),
        };

        var tunnelStates = new int[Enum.GetValues<TunnelState>().Length];
        var sessionStates = new int[Enum.GetValues<SessionState>().Length];
        foreach (var tunnel in engine.Tunnels.Values)
        {
            tunnelStates[(int)tunnel.State]++;
            foreach (var session in tunnel.Sessions.Values)
            {
                sessionStates[(int)session.State]++;
            }
        }
        var tunnels = new MetricFamily("relay_tunnels", MetricKind.Gauge, "L2TP tunnels (control connections) by state (RFC 2661 section 7.2).");
        foreach (var state in Enum.GetValues<TunnelState>())
        {
            tunnels.Add(tunnelStates[(int)state], L("state", Names.Of(state)));
        }
        families.Add(tunnels);
        var sessions = new MetricFamily("relay_sessions", MetricKind.Gauge, "L2TP sessions by state (RFC 2661 section 7.4.2).");
        foreach (var state in Enum.GetValues<SessionState>())
        {
            sessions.Add(sessionStates[(int)state], L("state", Names.Of(state)));
        }
        families.Add(sessions);
        families.Add(new MetricFamily("relay_sessions_ready", MetricKind.Gauge, "Sessions with PPP authenticated and an address leased.").Add(controller.ReadySessions));

        families.Add(new MetricFamily("relay_tunnel_setups_total", MetricKind.Counter, "Tunnel setups by result.")
            .Add(l2tp.TunnelsEstablished, L("result", "established"))
            .Add(l2tp.TunnelsRefused, L("result", "refused")));
        families.Add(new MetricFamily("relay_session_setups_total", MetricKind.Counter, "Session setups by result: L2TP established or refused, PPP ready, or refused an address.")
            .Add(l2tp.SessionsEstablished, L("result", "established"))
            .Add(l2tp.SessionsRefused, L("result", "refused"))
            .Add(ppp.Ready, L("result", "ready"))
            .Add(ppp.AddressRefused, L("result", "address_refused")));

        var tunnelTeardowns = new MetricFamily("relay_tunnel_teardowns_total", MetricKind.Counter, "Tunnels ended, by cause and StopCCN result code (0: none carried).");
        foreach (var ((reason, result), count) in controller.Teardowns.Tunnels.OrderBy(p => p.Key.Reason).ThenBy(p => p.Key.Result))
        {
            tunnelTeardowns.Add(count, L("cause", Names.Of(reason)), L("result", result.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        families.Add(tunnelTeardowns);
        var sessionTeardowns = new MetricFamily("relay_session_teardowns_total", MetricKind.Counter, "Sessions ended, by side and CDN result code (0: none carried).");
        foreach (var ((byPeer, result), count) in controller.Teardowns.Sessions.OrderBy(p => p.Key.ByPeer).ThenBy(p => p.Key.Result))
        {
            sessionTeardowns.Add(count, L("by", byPeer ? "peer" : "local"), L("result", result.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        families.Add(sessionTeardowns);

        families.Add(new MetricFamily("relay_control_retransmissions_total", MetricKind.Counter, "L2TP control messages retransmitted (RFC 2661 section 5.8).").Add(engine.Retransmissions));
        families.Add(new MetricFamily("relay_control_hellos_sent_total", MetricKind.Counter, "HELLO messages sent to idle peers (RFC 2661 section 6.5).").Add(l2tp.HellosSent));

        var auth = new MetricFamily("relay_auth_failures_total", MetricKind.Counter, "Authentication failures by method: L2TP tunnel challenge or PPP protocol.")
            .Add(l2tp.AuthenticationFailures, L("method", "tunnel"));
        foreach (var method in Enum.GetValues<PppAuthMethod>())
        {
            auth.Add(ppp.AuthenticationFailuresByMethod[(int)method], L("method", Names.Of(method)));
        }
        auth.Add(ppp.AuthenticationFailuresByMethod[^1], L("method", "none"));
        families.Add(auth);

        var control = new MetricFamily("relay_control_drops_total", MetricKind.Counter, "Control-plane messages dropped, by reason.");
        foreach (var status in Enum.GetValues<L2tpParseStatus>())
        {
            var n = l2tp.Malformed[(int)status];
            if (status != L2tpParseStatus.Ok && n > 0)
            {
                control.Add(n, L("reason", "malformed_" + Names.Snake(status.ToString())));
            }
        }
        control.Add(l2tp.UnknownTunnel, L("reason", "unknown_tunnel"))
            .Add(l2tp.UnknownSession, L("reason", "unknown_session"))
            .Add(l2tp.WrongPeer, L("reason", "wrong_peer"))
            .Add(l2tp.RateLimited, L("reason", "rate_limited"))
            .Add(l2tp.Duplicates, L("reason", "duplicate"))
            .Add(l2tp.OutOfWindow, L("reason", "out_of_window"))
            .Add(l2tp.FsmErrors, L("reason", "fsm_error"))
            .Add(l2tp.BadAvpValues, L("reason", "bad_avp_value"))
            .Add(l2tp.UnknownMandatoryAvps, L("reason", "unknown_mandatory_avp"))
            .Add(ppp.MalformedData, L("reason", "ppp_malformed"))
            .Add(ppp.DataForUnknownSession, L("reason", "ppp_unknown_session"));
        families.Add(control);
        families.Add(new MetricFamily("relay_ppp_echo_timeouts_total", MetricKind.Counter, "PPP links closed because the client stopped answering LCP Echo.").Add(ppp.EchoTimeouts));

        var dataDrops = new MetricFamily("relay_data_drops_total", MetricKind.Counter, "Packets the data plane dropped, by reason.");
        for (var reason = 1; reason < Relay.DataPlane.Forwarding.DropReasons.Count; reason++)
        {
            var r = (Relay.DataPlane.DropReason)reason;
            dataDrops.Add(service.DataDrops(r), L("reason", Relay.DataPlane.Forwarding.DropReasons.Name(r)));
        }
        families.Add(dataDrops);
        families.Add(new MetricFamily("relay_socket_drops_total", MetricKind.Counter, "Datagrams lost at the UDP socket, by reason.")
            .Add(service.SocketTruncated, L("reason", "truncated"))
            .Add(service.SocketSendErrors, L("reason", "send_error")));

        var poolAddresses = new MetricFamily("relay_pool_addresses", MetricKind.Gauge, "Pool addresses by state: used (leased) or free (usable, not leased).");
        var poolDraining = new MetricFamily("relay_pool_draining", MetricKind.Gauge, "1 when the pool takes no new leases (drained or gone from the configuration).");
        foreach (var pool in controller.Leases.Pools)
        {
            poolAddresses.Add(pool.Used, L("pool", pool.Name), L("state", "used"));
            poolAddresses.Add(pool.Free, L("pool", pool.Name), L("state", "free"));
            poolDraining.Add(pool.IsDraining ? 1 : 0, L("pool", pool.Name));
        }
        families.Add(poolAddresses);
        families.Add(poolDraining);
        return families;
    }

    private static KeyValuePair<string, string> L(string name, string value) => new(name, value);
}
