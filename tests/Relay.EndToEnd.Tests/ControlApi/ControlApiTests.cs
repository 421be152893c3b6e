using System.Net;
using System.Text.Json;
using Relay.Control.L2tp;
using Relay.Control.Sessions;

namespace Relay.EndToEnd.Tests.ControlApi;

/// <summary>
/// relayd's control API against real sessions: our client stack dials the AOT relayd in a
/// namespace, the test reads and changes relayd through its Unix socket and checks what the
/// client sees on the wire (RFC 2661 §4.4.2 result codes) and what /metrics says. Needs root.
/// </summary>
public sealed class ControlApiTests(ITestOutputHelper output)
{
    [Fact]
    public void Reads_report_the_live_tunnels_sessions_and_leases_and_the_metrics_agree()
    {
        using var bed = new ControlApiBed();
        try
        {
            var (_, alice) = bed.Dial("alice", "wonderland");
            var (_, bob) = bed.Dial("bob", "builder");
            var aliceId = $"{alice.PeerTunnelId}:{alice.PeerSessionId}";

            var status = Ok(bed.Api.Get("v1/status"));
            Assert.Equal("0.1.0", status.GetProperty("version").GetString());
            Assert.Equal(bed.Relayd.ProcessId, status.GetProperty("pid").GetInt32());
            Assert.Equal(2, status.GetProperty("tunnels").GetInt32());
            Assert.Equal(2, status.GetProperty("tunnelsEstablished").GetInt32());
            Assert.Equal(2, status.GetProperty("sessions").GetInt32());
            Assert.Equal(2, status.GetProperty("sessionsReady").GetInt32());
            Assert.Equal(2, status.GetProperty("leases").GetInt32());
            Assert.Equal(bed.Relayd.ConfigPath, status.GetProperty("configFile").GetString());
            Assert.Matches("^sha256:[0-9a-f]{64}$", status.GetProperty("configDigest").GetString());

            var tunnels = Ok(bed.Api.Get("v1/tunnels"));
            Assert.Equal(2, tunnels.GetArrayLength());
            var aliceTunnel = tunnels.EnumerateArray().Single(t => t.GetProperty("id").GetInt32() == alice.PeerTunnelId);
            Assert.Equal($"{ControlApiBed.ClientAddress}:1701", aliceTunnel.GetProperty("peer").GetString());
            Assert.Equal(alice.Key.TunnelId, aliceTunnel.GetProperty("peerTunnelId").GetInt32());
            Assert.Equal("relay-client", aliceTunnel.GetProperty("peerHostName").GetString());
            Assert.Equal("established", aliceTunnel.GetProperty("state").GetString());
            Assert.Equal(1, aliceTunnel.GetProperty("sessions").GetInt32());
            Assert.Equal(alice.PeerTunnelId, Ok(bed.Api.Get($"v1/tunnels/{alice.PeerTunnelId}")).GetProperty("id").GetInt32());

            var sessions = Ok(bed.Api.Get("v1/sessions"));
            Assert.Equal(2, sessions.GetArrayLength());
            var session = Ok(bed.Api.Get($"v1/sessions/{aliceId}"));
            Assert.Equal(aliceId, session.GetProperty("id").GetString());
            Assert.Equal("alice", session.GetProperty("user").GetString());
            Assert.Equal(alice.LocalAddress.ToString(), session.GetProperty("address").GetString());
            Assert.Equal("clients", session.GetProperty("pool").GetString());
            Assert.Equal("established", session.GetProperty("state").GetString());
            Assert.Equal("network", session.GetProperty("ppp").GetString());
            Assert.True(session.GetProperty("ready").GetBoolean());
            Assert.Equal(alice.Key.SessionId, session.GetProperty("peerSessionId").GetInt32());
            Assert.Equal(JsonValueKind.Null, session.GetProperty("traffic").ValueKind);

            // Filters: user, address, tunnel.
            Assert.Equal("alice", Single(bed.Api.Get("v1/sessions?user=alice")).GetProperty("user").GetString());
            Assert.Equal("bob", Single(bed.Api.Get($"v1/sessions?address={ControlApiBed.StaticAddress}")).GetProperty("user").GetString());
            Assert.Equal("bob", Single(bed.Api.Get($"v1/sessions?tunnel={bob.PeerTunnelId}")).GetProperty("user").GetString());
            Assert.Equal(0, Ok(bed.Api.Get("v1/sessions?user=mallory")).GetArrayLength());

            var pools = Ok(bed.Api.Get("v1/pools?leases=true"));
            var clients = pools.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "clients");
            Assert.Equal(256, clients.GetProperty("size").GetInt32());
            Assert.Equal(253, clients.GetProperty("usable").GetInt32()); // less network, broadcast and relayd's 10.201.12.1
            Assert.Equal(2, clients.GetProperty("used").GetInt32());
            Assert.Equal(251, clients.GetProperty("free").GetInt32());
            var leases = clients.GetProperty("leases").EnumerateArray().ToList();
            Assert.Contains(leases, l => l.GetProperty("address").GetString() == ControlApiBed.StaticAddress && l.GetProperty("static").GetBoolean());
            Assert.Contains(leases, l => l.GetProperty("address").GetString() == alice.LocalAddress.ToString() && l.GetProperty("session").GetString() == aliceId && !l.GetProperty("static").GetBoolean());
            Assert.Equal(JsonValueKind.Null, Ok(bed.Api.Get("v1/pools")).EnumerateArray().First().GetProperty("leases").ValueKind);

            // The metrics endpoint (TCP, metrics.listen) says the same as the API.
            var metrics = bed.Scrape(out var text);
            output.WriteLine(text);
            Assert.Equal(status.GetProperty("tunnelsEstablished").GetInt32(), metrics["relay_tunnels{state=\"established\"}"]);
            Assert.Equal(status.GetProperty("sessions").GetInt32(), metrics["relay_sessions{state=\"established\"}"]);
            Assert.Equal(status.GetProperty("sessionsReady").GetInt32(), metrics["relay_sessions_ready"]);
            Assert.Equal(clients.GetProperty("used").GetInt32(), metrics["relay_pool_addresses{pool=\"clients\",state=\"used\"}"]);
            Assert.Equal(clients.GetProperty("free").GetInt32(), metrics["relay_pool_addresses{pool=\"clients\",state=\"free\"}"]);
            Assert.Equal(2, metrics["relay_tunnel_setups_total{result=\"established\"}"]);
            Assert.Equal(2, metrics["relay_session_setups_total{result=\"ready\"}"]);
            Assert.Equal(0, metrics["relay_auth_failures_total{method=\"chap\"}"]);
            Assert.Equal(1, metrics["relay_build_info{version=\"0.1.0\"}"]);

            // /v1/stats carries the same series by the same names.
            var stats = Ok(bed.Api.Get("v1/stats")).GetProperty("counters");
            Assert.Equal(2, stats.GetProperty("relay_tunnel_setups_total{result=\"established\"}").GetInt64());
            Assert.Equal(2, stats.GetProperty("relay_pool_addresses{pool=\"clients\",state=\"used\"}").GetInt64());
        }
        finally
        {
            output.WriteLine(bed.Trace);
        }
    }

    [Fact]
    public void Kicking_a_session_ends_it_with_PPP_Terminate_then_CDN_result_3_and_kicking_a_tunnel_sends_StopCCN_result_1()
    {
        using var bed = new ControlApiBed();
        try
        {
            var (aliceDriver, alice) = bed.Dial("alice", "wonderland");
            var (bobDriver, bob) = bed.Dial("bob", "builder");
            var aliceId = $"{alice.PeerTunnelId}:{alice.PeerSessionId}";

            var kicked = bed.Api.Delete($"v1/sessions/{aliceId}");
            Assert.True(kicked.Status == HttpStatusCode.Accepted, kicked.ToString());
            Assert.Equal(aliceId, kicked.Json.GetProperty("id").GetString());
            aliceDriver.RunUntil(() => aliceDriver.L2tpEvents.OfType<SessionClosed>().Any(), ControlApiBed.Timeout, "CDN from relayd");
            var cdn = aliceDriver.L2tpEvents.OfType<SessionClosed>().Single();
            // PPP first: relayd's LCP Terminate-Request (RFC 1661 §5.5, code 5) reached the client, then the CDN.
            Assert.Contains(aliceDriver.PppFrames, f => !f.Sent && f.Protocol == 0xc021 && f.Code == 5);
            Assert.True(cdn is { ByPeer: true, ResultCode: ResultCodes.CdnAdministrative }, $"{cdn}\n{bed.Trace}");
            bed.Relayd.WaitForLine(l => l.Contains($"ppp: session {alice.PeerTunnelId}/{alice.PeerSessionId} ended, address {alice.LocalAddress} released: closed by the operator", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.NotFound, bed.Api.Get($"v1/sessions/{aliceId}").Status);
            // The tunnel stays; only its session went.
            Assert.Equal(0, Ok(bed.Api.Get($"v1/tunnels/{alice.PeerTunnelId}")).GetProperty("sessions").GetInt32());

            var stop = bed.Api.Delete($"v1/tunnels/{bob.PeerTunnelId}");
            Assert.True(stop.Status == HttpStatusCode.Accepted, stop.ToString());
            Assert.Equal("closing", stop.Json.GetProperty("state").GetString());
            bobDriver.RunUntil(() => bobDriver.L2tpEvents.OfType<TunnelClosed>().Any(), ControlApiBed.Timeout, "StopCCN from relayd");
            var stopCcn = bobDriver.L2tpEvents.OfType<TunnelClosed>().Single();
            Assert.True(stopCcn is { Reason: TunnelCloseReason.Peer, ResultCode: ResultCodes.StopGeneralRequest }, $"{stopCcn}\n{bed.Trace}");
            Assert.Contains(bobDriver.Events, e => e is SessionEnded);
            // A second kick of a closing tunnel is a conflict, not a second StopCCN.
            Assert.Equal(HttpStatusCode.Conflict, bed.Api.Delete($"v1/tunnels/{bob.PeerTunnelId}").Status);

            var metrics = bed.Scrape(out _);
            Assert.Equal(1, metrics["relay_session_teardowns_total{by=\"local\",result=\"3\"}"]);
            Assert.Equal(1, metrics["relay_tunnel_teardowns_total{cause=\"local\",result=\"1\"}"]);
            Assert.Equal(0, metrics["relay_sessions_ready"]);
        }
        finally
        {
            output.WriteLine(bed.Trace);
        }
    }

    [Fact]
    public void Pools_are_added_refused_on_overlap_and_a_busy_pool_goes_only_by_draining()
    {
        using var bed = new ControlApiBed();
        try
        {
            var (aliceDriver, alice) = bed.Dial("alice", "wonderland");

            var added = bed.Api.Post("v1/pools", """{ "name": "extra", "range": "10.201.14.0/24", "exclusions": ["10.201.14.9"] }""");
            Assert.True(added.Status == HttpStatusCode.Created, added.ToString());
            Assert.Equal(253, added.Json.GetProperty("usable").GetInt32());
            Assert.Equal(3, Ok(bed.Api.Get("v1/pools")).GetArrayLength());

            var overlap = Problem(bed.Api.Post("v1/pools", """{ "name": "other", "range": "10.201.14.128/25" }"""), HttpStatusCode.Conflict);
            Assert.Equal("range", overlap.GetProperty("errors")[0].GetProperty("field").GetString());
            Assert.Contains("overlaps", overlap.GetProperty("detail").GetString(), StringComparison.Ordinal);
            var duplicate = Problem(bed.Api.Post("v1/pools", """{ "name": "extra", "range": "10.201.15.0/24" }"""), HttpStatusCode.Conflict);
            Assert.Equal("name", duplicate.GetProperty("errors")[0].GetProperty("field").GetString());
            var invalid = Problem(bed.Api.Post("v1/pools", """{ "name": "bad", "range": "10.201.15.1/24" }"""), HttpStatusCode.UnprocessableEntity);
            Assert.Equal("range: host bits set (did you mean 10.201.15.0/24?)", invalid.GetProperty("detail").GetString());
            var badJson = Problem(bed.Api.Post("v1/pools", """{ "name": "bad", "range": """), HttpStatusCode.BadRequest);
            Assert.StartsWith("range: invalid JSON", badJson.GetProperty("detail").GetString(), StringComparison.Ordinal);
            var unknownKey = Problem(bed.Api.Post("v1/pools", """{ "name": "bad", "range": "10.201.15.0/24", "size": 3 }"""), HttpStatusCode.BadRequest);
            Assert.Equal("size: unknown key", unknownKey.GetProperty("detail").GetString());
            var wrongType = Problem(bed.Api.Post("v1/pools", """{ "name": "bad", "range": 7 }"""), HttpStatusCode.BadRequest);
            Assert.Equal("range: wrong type, expected a string", wrongType.GetProperty("detail").GetString());

            Assert.Equal(HttpStatusCode.NoContent, bed.Api.Delete("v1/pools/extra").Status);
            Assert.Equal(HttpStatusCode.NotFound, bed.Api.Get("v1/pools/extra").Status);
            Assert.Equal(HttpStatusCode.NotFound, bed.Api.Delete("v1/pools/extra").Status);

            // "clients" holds alice's lease: refused, then drained; it goes when her session ends.
            var busy = Problem(bed.Api.Delete("v1/pools/clients"), HttpStatusCode.Conflict);
            Assert.Contains("holds 1 lease", busy.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Problem(bed.Api.Delete("v1/pools/clients?drain=maybe"), HttpStatusCode.BadRequest);
            var draining = bed.Api.Delete("v1/pools/clients?drain=true");
            Assert.True(draining.Status == HttpStatusCode.Accepted, draining.ToString());
            Assert.True(draining.Json.GetProperty("draining").GetBoolean());
            Assert.True(Ok(bed.Api.Get($"v1/sessions/{alice.PeerTunnelId}:{alice.PeerSessionId}")).GetProperty("ready").GetBoolean());
            Assert.Equal(1, bed.Scrape(out _)["relay_pool_draining{pool=\"clients\"}"]);

            // A draining pool leases nothing: carol's session finds no address there.
            var carol = bed.NewDriver("carol", "singer");
            carol.Do((c, now) => c.Dial(now));
            carol.WaitFor<SessionEnded>(ControlApiBed.Timeout);
            Assert.Empty(carol.Events.OfType<SessionReady>());

            aliceDriver.Do((c, now) => c.HangUp(alice.Key.TunnelId, "test done", now));
            aliceDriver.RunUntil(() => aliceDriver.Controller.L2tp.AllStopsAcknowledged, ControlApiBed.Timeout, "acknowledgement of our StopCCN");
            var gone = WaitFor(() => bed.Api.Get("v1/pools/clients"), a => a.Status == HttpStatusCode.NotFound);
            Assert.Equal(HttpStatusCode.NotFound, gone.Status);
            Assert.Equal(["spare"], Ok(bed.Api.Get("v1/pools")).EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        }
        finally
        {
            output.WriteLine(bed.Trace);
        }
    }

    [Fact]
    public void Errors_are_problem_documents_that_name_the_field()
    {
        using var bed = new ControlApiBed();
        try
        {
            Assert.Equal("id: no session 9:9", Problem(bed.Api.Get("v1/sessions/9:9"), HttpStatusCode.NotFound).GetProperty("detail").GetString());
            Assert.Equal("id: no session 9:9", Problem(bed.Api.Delete("v1/sessions/9:9"), HttpStatusCode.NotFound).GetProperty("detail").GetString());
            Assert.Equal("id: no tunnel 9", Problem(bed.Api.Get("v1/tunnels/9"), HttpStatusCode.NotFound).GetProperty("detail").GetString());
            Assert.Equal("id: no tunnel 9", Problem(bed.Api.Delete("v1/tunnels/9"), HttpStatusCode.NotFound).GetProperty("detail").GetString());
            Assert.Equal("name: no pool \"nope\"", Problem(bed.Api.Delete("v1/pools/nope"), HttpStatusCode.NotFound).GetProperty("detail").GetString());
            var badId = Problem(bed.Api.Get("v1/sessions/banana"), HttpStatusCode.BadRequest);
            Assert.Equal("id", badId.GetProperty("errors")[0].GetProperty("field").GetString());
            Assert.StartsWith("id: \"70000\" is not a tunnel id", Problem(bed.Api.Get("v1/tunnels/70000"), HttpStatusCode.BadRequest).GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("address: ", Problem(bed.Api.Get("v1/sessions?address=10.1"), HttpStatusCode.BadRequest).GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("tunnel: ", Problem(bed.Api.Get("v1/sessions?tunnel=x"), HttpStatusCode.BadRequest).GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("leases: ", Problem(bed.Api.Get("v1/pools?leases=2"), HttpStatusCode.BadRequest).GetProperty("detail").GetString(), StringComparison.Ordinal);
            Problem(bed.Api.Get("v1/nothing"), HttpStatusCode.NotFound);
            Problem(bed.Api.Send(HttpMethod.Put, "v1/pools"), HttpStatusCode.MethodNotAllowed);
            Problem(bed.Api.Post("v1/pools", "null"), HttpStatusCode.BadRequest);

            // The metrics port serves /metrics and nothing of the control API.
            var api = bed.Metrics(HttpMethod.Get, "/v1/status", out var status, out _);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.DoesNotContain("version", api.Body, StringComparison.Ordinal);
            bed.Metrics(HttpMethod.Delete, "/v1/tunnels/1", out status, out _);
            Assert.Equal(HttpStatusCode.NotFound, status);
        }
        finally
        {
            output.WriteLine(bed.Trace);
        }
    }

    internal static JsonElement Ok(ApiAnswer answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK && answer.MediaType == "application/json", answer.ToString());
        return answer.Json;
    }

    /// <summary>An RFC 9457 problem document with the status in the body too.</summary>
    internal static JsonElement Problem(ApiAnswer answer, HttpStatusCode status)
    {
        Assert.True(answer.Status == status && answer.MediaType == "application/problem+json", answer.ToString());
        var problem = answer.Json;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        return problem;
    }

    private static JsonElement Single(ApiAnswer answer)
    {
        var list = Ok(answer);
        Assert.Equal(1, list.GetArrayLength());
        return list[0];
    }

    /// <summary>Asks again (every 50 ms, bounded) until the answer is as expected: relayd acts on its own loop.</summary>
    internal static ApiAnswer WaitFor(Func<ApiAnswer> ask, Func<ApiAnswer, bool> done)
    {
        var until = DateTime.UtcNow + ControlApiBed.Timeout;
        while (true)
        {
            var answer = ask();
            if (done(answer) || DateTime.UtcNow > until)
            {
                return answer;
            }
            using var pause = new ManualResetEventSlim();
            pause.Wait(50);
        }
    }
}
