using System.Text.Json;
using Relay.Cli.Output;

namespace Relay.Cli.Tests.Output;

/// <summary>Snapshots of relayctl's human output for fixed control-API answers.</summary>
public class RenderTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void Status_is_a_headline_and_aligned_key_value_lines()
    {
        var status = Json("""
            { "version": "0.1.0", "pid": 4242, "startedAt": "2026-11-27T06:00:00+00:00", "uptimeSeconds": 3725.4, "workers": 0, "dataPlane": false,
              "tunnels": 3, "tunnelsEstablished": 2, "sessions": 5, "sessionsReady": 4, "leases": 4, "pools": 2,
              "configFile": "/etc/relay/relay.json", "configDigest": "sha256:ab12",
              "lastReload": { "at": "2026-11-27T06:30:00+00:00", "trigger": "SIGHUP", "ok": true, "summary": "applied sha256:ab12" } }
            """);

        Assert.Equal("""
            relayd 0.1.0 (pid 4242), up 1h02m05s
            config       /etc/relay/relay.json (sha256:ab12)
            workers      0 (no data plane: data messages are counted and dropped)
            tunnels      3 (2 established)
            sessions     5 (4 ready)
            leases       4 in 2 pool(s)
            last reload  2026-11-27T06:30:00+00:00 by SIGHUP: applied sha256:ab12

            """.Replace("\r\n", "\n", StringComparison.Ordinal), Render.Status(status));
    }

    [Fact]
    public void Status_lists_what_to_configure_next()
    {
        var status = Json("""
            { "version": "0.1.0", "pid": 1, "uptimeSeconds": 5, "workers": 2, "dataPlane": true,
              "tunnels": 0, "tunnelsEstablished": 0, "sessions": 0, "sessionsReady": 0, "leases": 0, "pools": 1,
              "configFile": null, "configDigest": "sha256:cd34", "lastReload": null,
              "nextSteps": [ "tunnel authentication is off: set tunnel.secretFile", "firewall.gateways is empty" ] }
            """);

        Assert.Equal("""
            relayd 0.1.0 (pid 1), up 5s
            config       built-in default (sha256:cd34)
            workers      2
            tunnels      0 (0 established)
            sessions     0 (0 ready)
            leases       0 in 1 pool(s)
            last reload  never

            to configure next:
              - tunnel authentication is off: set tunnel.secretFile
              - firewall.gateways is empty

            """.Replace("\r\n", "\n", StringComparison.Ordinal), Render.Status(status));
    }

    [Fact]
    public void Sessions_are_a_table_with_numbers_right_aligned_and_dashes_without_a_data_plane()
    {
        var sessions = Json("""
            [ { "id": "12:7", "tunnelId": 12, "sessionId": 7, "peerTunnelId": 3, "peerSessionId": 9, "peer": "198.51.100.7:1701", "user": "alice",
                "address": "10.201.0.2", "pool": "clients", "state": "established", "ppp": "network", "ready": true, "uptimeSeconds": 65, "traffic": null },
              { "id": "40001:65535", "tunnelId": 40001, "sessionId": 65535, "peerTunnelId": 1, "peerSessionId": 1, "peer": "203.0.113.200:40000", "user": null,
                "address": null, "pool": null, "state": "wait_connect", "ppp": "none", "ready": false, "uptimeSeconds": 2,
                "traffic": { "rxPackets": 1234567, "rxBytes": 1, "txPackets": 0, "txBytes": 0, "drops": 12 } } ]
            """);

        Assert.Equal("""
            ID           USER   ADDRESS     POOL     PEER                 STATE         PPP      UPTIME  RX-PKTS  TX-PKTS  DROPS
            12:7         alice  10.201.0.2  clients  198.51.100.7:1701    established   network   1m05s        -        -      -
            40001:65535  -      -           -        203.0.113.200:40000  wait_connect  none         2s  1234567        0     12

            """.Replace("\r\n", "\n", StringComparison.Ordinal), Render.Sessions(sessions));
        Assert.Equal("no sessions\n", Render.Sessions(Json("[]")));
    }

    [Fact]
    public void Pools_with_leases_list_each_pool_s_leases_after_the_table()
    {
        var pools = Json("""
            [ { "name": "clients", "range": "10.201.0.0/16", "realm": "private", "size": 65536, "usable": 65533, "used": 2, "free": 65531, "draining": false,
                "leases": [ { "address": "10.201.0.2", "session": "12:7", "static": false }, { "address": "10.201.0.77", "session": "14:1", "static": true } ] },
              { "name": "gw", "range": "192.0.2.0/29", "realm": "public", "size": 8, "usable": 6, "used": 0, "free": 6, "draining": true, "leases": [] } ]
            """);

        Assert.Equal("""
            NAME     RANGE          REALM     SIZE  USABLE  USED   FREE  STATE
            clients  10.201.0.0/16  private  65536   65533     2  65531  active
            gw       192.0.2.0/29   public       8       6     0      6  draining

            pool clients: 2 lease(s)
            ADDRESS      SESSION  KIND
            10.201.0.2   12:7     dynamic
            10.201.0.77  14:1     static

            pool gw: 0 lease(s)

            """.Replace("\r\n", "\n", StringComparison.Ordinal), Render.Pools(pools));
    }

    [Fact]
    public void A_problem_names_the_field_and_lists_every_error_when_there_are_several()
    {
        var one = Json("""{ "type": "t", "title": "Not found", "status": 404, "detail": "id: no session 9:9", "instance": "/v1/sessions/9:9" }""");
        var many = Json("""
            { "type": "t", "title": "Reload refused", "status": 422, "detail": "a; b", "instance": "/v1/reload",
              "errors": [ { "field": "pools[1].range", "message": "overlaps pools[0]" }, { "field": "ppp.mru", "message": "must be between 576 and 1500" } ] }
            """);

        Assert.Equal("relayctl: Not found (404): id: no session 9:9\n", Render.Problem(one));
        Assert.Equal("relayctl: Reload refused (422):\n  pools[1].range: overlaps pools[0]\n  ppp.mru: must be between 576 and 1500\n", Render.Problem(many));
    }

    [Fact]
    public void Watch_shows_the_rate_of_every_counter_that_moved_and_the_live_gauges()
    {
        var before = Json("""{ "uptimeSeconds": 1, "counters": { "relay_control_drops_total{reason=\"duplicate\"}": 10, "relay_tunnel_setups_total{result=\"established\"}": 5, "relay_tunnels{state=\"established\"}": 5 } }""");
        var after = Json("""{ "uptimeSeconds": 3, "counters": { "relay_control_drops_total{reason=\"duplicate\"}": 10, "relay_tunnel_setups_total{result=\"established\"}": 9, "relay_tunnels{state=\"established\"}": 9 } }""");

        Assert.Equal("""
            12:00:00  rates over 2.0 s
            SERIES                                           PER-SECOND  TOTAL
            relay_tunnel_setups_total{result="established"}         2.0      9
            GAUGE                               VALUE
            relay_tunnels{state="established"}      9

            """.Replace("\r\n", "\n", StringComparison.Ordinal), Render.Rates(before, after, 2.0, "12:00:00"));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59.9, "59s")]
    [InlineData(60, "1m00s")]
    [InlineData(3600, "1h00m00s")]
    [InlineData(90061, "1d01h01m")]
    public void Durations_are_short(double seconds, string text) => Assert.Equal(text, Render.Duration(seconds));

    [Fact]
    public void Help_lists_every_command_and_the_exit_codes()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, Relay.Cli.Commands.Cli.Run(["--help"], stdout, new StringWriter()));
        foreach (var command in new[] { "status", "tunnels", "sessions", "show", "kick", "pools", "pool", "reload", "stats", "watch", "--json", "--socket" })
        {
            Assert.Contains(command, stdout.ToString(), StringComparison.Ordinal);
        }
        Assert.Contains("3 no such session, tunnel or pool; 69 relayd not reachable", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_usage_exits_2_and_says_what_is_wrong()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, Relay.Cli.Commands.Cli.Run(["kick", "session"], new StringWriter(), stderr));
        Assert.Contains("relayctl: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, Relay.Cli.Commands.Cli.Run(["watch", "--interval", "0"], new StringWriter(), new StringWriter()));
    }
}
