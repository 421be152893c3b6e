using System.Net;
using Relay.EndToEnd.Tests.DataPlane;
using Relay.Control.L2tp;
using Relay.Control.Sessions;
using static Relay.EndToEnd.Tests.ControlApi.ControlApiTests;

namespace Relay.EndToEnd.Tests.ControlApi;

/// <summary>
/// POST /v1/reload and SIGHUP re-read relayd's configuration file while sessions are up: good
/// changes apply without dropping a session, a bad file is refused whole with every error by field.
/// </summary>
public sealed class ReloadTests(ITestOutputHelper output)
{
    [Fact]
    public void A_good_file_applies_pools_and_secrets_without_dropping_a_session()
    {
        using var bed = new ControlApiBed();
        try
        {
            var (aliceDriver, alice) = bed.Dial("alice", "wonderland");
            var before = Ok(bed.Api.Get("v1/status")).GetProperty("configDigest").GetString();

            // "clients" grows to a /23 (alice's lease still fits), "spare" goes (no leases), "more" comes;
            // dave joins the secrets file.
            var secrets = bed.Scratch.Write("ppp-secrets-2", File.ReadAllText(bed.SecretsPath) + "dave  *  \"diver\"  *\n");
            File.WriteAllText(bed.Relayd.ConfigPath, bed.ConfigWith(
                """[{ "name": "clients", "range": "10.201.12.0/23" }, { "name": "more", "range": "10.201.20.0/24" }]""", ControlApiBed.Ppp(secrets)));
            var reload = bed.Api.Post("v1/reload");
            Assert.True(reload.Status == HttpStatusCode.OK, reload.ToString());
            Assert.Equal(["more"], reload.Json.GetProperty("poolsAdded").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["clients"], reload.Json.GetProperty("poolsChanged").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["spare"], reload.Json.GetProperty("poolsRemoved").EnumerateArray().Select(e => e.GetString()));

            var status = Ok(bed.Api.Get("v1/status"));
            Assert.NotEqual(before, status.GetProperty("configDigest").GetString());
            Assert.True(status.GetProperty("lastReload").GetProperty("ok").GetBoolean());
            var clients = Ok(bed.Api.Get("v1/pools/clients?leases=true"));
            Assert.Equal(512, clients.GetProperty("size").GetInt32());
            Assert.Equal(alice.LocalAddress.ToString(), clients.GetProperty("leases")[0].GetProperty("address").GetString());
            Assert.True(Ok(bed.Api.Get($"v1/sessions/{alice.PeerTunnelId}:{alice.PeerSessionId}")).GetProperty("ready").GetBoolean());

            // The new secret works for a new session; alice's session never noticed.
            var (_, dave) = bed.Dial("dave", "diver");
            Assert.Equal("dave", Ok(bed.Api.Get($"v1/sessions/{dave.PeerTunnelId}:{dave.PeerSessionId}")).GetProperty("user").GetString());
            Assert.DoesNotContain($"ppp: session {alice.PeerTunnelId}/{alice.PeerSessionId} ended", bed.Relayd.Output, StringComparison.Ordinal);
            Assert.Empty(aliceDriver.L2tpEvents.OfType<SessionClosed>());
            Assert.Empty(aliceDriver.Events.OfType<SessionEnded>());

            // SIGHUP does the same; the pool list follows the file again.
            File.WriteAllText(bed.Relayd.ConfigPath, bed.ConfigWith(
                """[{ "name": "clients", "range": "10.201.12.0/23" }]""", ControlApiBed.Ppp(secrets)));
            bed.Server.MustExec("kill", "-HUP", bed.Relayd.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            bed.Relayd.WaitForLine(l => l.Contains("reload (SIGHUP)", StringComparison.Ordinal) && l.Contains("removed [more]", StringComparison.Ordinal));
            Assert.Equal(["clients"], Ok(bed.Api.Get("v1/pools")).EnumerateArray().Select(p => p.GetProperty("name").GetString()));
            Assert.Equal(2, Ok(bed.Api.Get("v1/status")).GetProperty("sessionsReady").GetInt32());
        }
        finally
        {
            output.WriteLine(bed.Trace);
        }
    }

    [Fact]
    public void A_bad_file_is_refused_whole_with_every_error_and_the_running_configuration_stays()
    {
        using var bed = new ControlApiBed();
        try
        {
            var (_, alice) = bed.Dial("alice", "wonderland");
            var before = Ok(bed.Api.Get("v1/status")).GetProperty("configDigest").GetString();

            // Several semantic errors at once, plus a pool change that would strand alice's lease
            // and a key only a restart can change.
            File.WriteAllText(bed.Relayd.ConfigPath, bed.ConfigWith(
                """[{ "name": "clients", "range": "10.201.12.0/24" }, { "name": "more", "range": "10.201.12.128/25" }]""",
                """{ "secretsFile": null, "mru": 100 }"""));
            var refused = Problem(bed.Api.Post("v1/reload"), HttpStatusCode.UnprocessableEntity);
            var fields = refused.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
            Assert.Contains("pools[1].range", fields);
            Assert.Contains("ppp.mru", fields);

            File.WriteAllText(bed.Relayd.ConfigPath, bed.ConfigWith("""[{ "name": "clients", "range": "10.201.12.0/24", "exclusions": ["10.201.12.0/26"] }]""",
                ControlApiBed.Ppp(bed.SecretsPath)).Replace($"\"{ControlApiBed.RelaydAddress}:1701\"", $"\"{ControlApiBed.RelaydAddress}:1702\"", StringComparison.Ordinal));
            refused = Problem(bed.Api.Post("v1/reload"), HttpStatusCode.UnprocessableEntity);
            fields = refused.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
            Assert.Contains("listen.l2tp", fields);

            File.WriteAllText(bed.Relayd.ConfigPath, bed.ConfigWith("""[{ "name": "clients", "range": "10.201.12.0/24", "exclusions": ["10.201.12.0/26"] }]""",
                ControlApiBed.Ppp(bed.SecretsPath)));
            refused = Problem(bed.Api.Post("v1/reload"), HttpStatusCode.UnprocessableEntity);
            Assert.Equal("pools[0]", refused.GetProperty("errors")[0].GetProperty("field").GetString());
            Assert.Contains("leaves out 1 leased address", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

            File.WriteAllText(bed.Relayd.ConfigPath, "{ \"pools\": [ }");
            refused = Problem(bed.Api.Post("v1/reload"), HttpStatusCode.UnprocessableEntity);
            Assert.StartsWith("pools", refused.GetProperty("errors")[0].GetProperty("field").GetString(), StringComparison.Ordinal);

            // Nothing changed: same digest, same pools, the session still up.
            var status = Ok(bed.Api.Get("v1/status"));
            Assert.Equal(before, status.GetProperty("configDigest").GetString());
            Assert.False(status.GetProperty("lastReload").GetProperty("ok").GetBoolean());
            Assert.Equal(["clients", "spare"], Ok(bed.Api.Get("v1/pools")).EnumerateArray().Select(p => p.GetProperty("name").GetString()));
            Assert.True(Ok(bed.Api.Get($"v1/sessions/{alice.PeerTunnelId}:{alice.PeerSessionId}")).GetProperty("ready").GetBoolean());
            bed.Relayd.WaitForLine(l => l.Contains("refused, running configuration kept", StringComparison.Ordinal));
        }
        finally
        {
            output.WriteLine(bed.Trace);
        }
    }

    [Fact]
    public void Under_traffic_a_reload_changes_pools_and_policy_without_losing_a_packet_or_a_session()
    {
        using var bed = new ControlApiBed();
        try
        {
            var (a, alice) = bed.Dial("alice", "wonderland");
            var (b, bob) = bed.Dial("bob", "builder");
            var relaydEndpoint = new IPEndPoint(IPAddress.Parse(ControlApiBed.RelaydAddress), 1701);
            var (addrA, addrB) = (alice.LocalAddress, bob.LocalAddress);
            byte[] Esp(int i) => InnerPackets.Wrap(alice.PeerTunnelId, alice.PeerSessionId,
                InnerPackets.Ipv4(addrA, addrB, InnerPackets.Esp, InnerPackets.EspPayload(0x1000, (uint)i + 1, 400, i), (ushort)(100 + i)));
            byte[] Mdns(ushort id) => InnerPackets.Wrap(alice.PeerTunnelId, alice.PeerSessionId,
                InnerPackets.Ipv4(addrA, addrB, InnerPackets.Udp, InnerPackets.UdpPayload(addrA, addrB, 5353, 5353, new byte[64]), id));
            long Denied() => Ok(bed.Api.Get("v1/stats")).GetProperty("counters").GetProperty("relay_data_drops_total{reason=\"policy_denied\"}").GetInt64();

            // Before: the default policy (IKE and ESP only) refuses UDP 5353.
            a.SendRaw(relaydEndpoint, Mdns(1));
            WaitFor(() => bed.Api.Get("v1/stats"), x => x.Json.GetProperty("counters").GetProperty("relay_data_drops_total{reason=\"policy_denied\"}").GetInt64() == 1);
            Assert.Equal(1, Denied());

            // ESP flows while the configuration is reloaded: a pool gets an exclusion, one goes, one comes, UDP 5353 is allowed.
            const int Burst = 100;
            for (var i = 0; i < Burst; i++)
            {
                a.SendRaw(relaydEndpoint, Esp(i));
            }
            // Bob's test socket has the namespace's default receive buffer (about 200 KB); while this
            // thread waits for the reload nothing reads it, and with GSO relayd delivers the whole burst
            // at once. So the first burst is drained before the reload; the second arrives around it.
            b.RunUntil(() => b.NetworkData.Count >= Burst, ControlApiBed.Timeout, "the first ESP burst at bob");
            File.WriteAllText(bed.Relayd.ConfigPath, bed.ConfigWith(
                """[{ "name": "clients", "range": "10.201.12.0/24", "exclusions": ["10.201.12.200/29"] }, { "name": "more", "range": "10.201.20.0/24" }]""",
                ControlApiBed.Ppp(bed.SecretsPath), extra: ",\n  \"policy\": { \"allow\": [\"esp\", \"udp/500\", \"udp/4500\", \"udp/5353\"] }"));
            var reload = bed.Api.Post("v1/reload");
            Assert.True(reload.Status == HttpStatusCode.OK, reload.ToString());
            for (var i = Burst; i < 2 * Burst; i++)
            {
                a.SendRaw(relaydEndpoint, Esp(i));
            }
            a.SendRaw(relaydEndpoint, Mdns(2));
            b.RunUntil(() => b.NetworkData.Count >= 2 * Burst + 1, ControlApiBed.Timeout, "every ESP packet and the now-allowed UDP 5353 at bob");

            Assert.Equal(2 * Burst + 1, b.NetworkData.Count);
            Assert.Equal(1, Denied());
            var session = Ok(bed.Api.Get($"v1/sessions/{alice.PeerTunnelId}:{alice.PeerSessionId}"));
            Assert.True(session.GetProperty("ready").GetBoolean());
            Assert.True(session.GetProperty("traffic").GetProperty("rxPackets").GetInt64() >= 2 * Burst + 1, session.ToString());
            var bobSession = Ok(bed.Api.Get($"v1/sessions/{bob.PeerTunnelId}:{bob.PeerSessionId}"));
            Assert.True(bobSession.GetProperty("traffic").GetProperty("txPackets").GetInt64() >= 2 * Burst + 1, bobSession.ToString());
            Assert.DoesNotContain(" ended", bed.Relayd.Output, StringComparison.Ordinal);
            Assert.Empty(a.L2tpEvents.OfType<SessionClosed>());
            Assert.Empty(b.L2tpEvents.OfType<SessionClosed>());
        }
        finally
        {
            output.WriteLine(bed.Trace);
        }
    }
}
