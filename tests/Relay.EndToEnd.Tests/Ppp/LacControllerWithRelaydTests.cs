using System.Net;
using System.Text;
using Relay.Control.L2tp;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Control.Sessions;
using Relay.EndToEnd.Tests.Support;
using Relay.Testing;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Ppp;

/// <summary>
/// Our client stack (<see cref="LacController"/>: L2TP LAC + PPP peer) dialling the AOT relayd (LNS
/// + PPP authenticator with a chap-secrets file and an address pool) across a veth pair, each in its
/// own namespace; judged by both sides' events and logs and by Wireshark's dissector over a capture
/// on relayd's side. Needs root, tshark and artifacts/bin/relayd.
/// </summary>
public sealed class LacControllerWithRelaydTests(ITestOutputHelper output)
{
    private const string RelaydAddress = "198.18.9.1";
    private const string ClientAddress = "198.18.9.2";
    private const string TunnelSecret = "s3cret";
    private const string RelaydPppAddress = "10.201.9.1";
    private const string StaticAddress = "10.201.9.77";
    private static readonly string[] Dns = ["192.0.2.53", "192.0.2.54"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("mschapv2")]
    [InlineData("chap")]
    [InlineData("pap")]
    public void Client_authenticates_and_gets_an_address_from_the_pool_and_the_configured_dns(string method)
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, client) = Link(topology);
        using var relayd = StartRelayd(server, scratch, method);
        using var capture = PacketCapture.Start(server, "eth0", scratch["relayd-side.pcapng"], "udp port 1701");
        using var driver = NewDriver(client, "alice", "wonderland");
        string Context() => $"client:\n{driver.Trace}\nrelayd:\n{relayd.Output}";

        try
        {
            driver.Do((c, now) => c.Dial(now));
            var ready = driver.WaitFor<SessionReady>(Timeout);
            var line = relayd.WaitForLine(l => l.Contains($"ppp: session {ready.PeerTunnelId}/{ready.PeerSessionId} ready: ", StringComparison.Ordinal));
            driver.Do((c, now) => c.HangUp(ready.Key.TunnelId, "test done", now));
            driver.RunUntil(() => driver.Controller.L2tp.AllStopsAcknowledged, Timeout, "acknowledgement of our StopCCN");
            relayd.WaitForLine(l => l.Contains($"ppp: session {ready.PeerTunnelId}/{ready.PeerSessionId} ended, address {ready.LocalAddress} released", StringComparison.Ordinal));
            capture.WaitForPackets(Timeout, FromClient("StopCCN"), FromRelayd("ZLB"));
            var summary = relayd.Stop();
            var path = capture.Stop();

            // IPCP (RFC 1332): our address from relayd's pool, never relayd's own; DNS (RFC 1877) from ppp.dns.
            Assert.True(IsInPool(ready.LocalAddress) && !ready.LocalAddress.Equals(IPAddress.Parse(RelaydPppAddress)), Context());
            Assert.Equal(IPAddress.Parse(RelaydPppAddress), ready.PeerAddress);
            Assert.Equal(Dns.Select(IPAddress.Parse), ready.Dns);
            Assert.Equal(1400, ready.Mru);
            Assert.Contains($"ready: user \"alice\" address {ready.LocalAddress} (relayd {RelaydPppAddress}, mru 1400)", line, StringComparison.Ordinal);
            Assert.Contains("sessions-ready=1 ppp-auth-failures=0 ", summary, StringComparison.Ordinal);
            Assert.Contains(" malformed=0 ", summary, StringComparison.Ordinal);
            Assert.True(driver.Controller.L2tp.Counters.MalformedTotal == 0, Context());
            CheckCapture(path, method, ready.LocalAddress);
        }
        finally
        {
            output.WriteLine(Context());
        }
    }

    [Theory]
    [InlineData("mschapv2")]
    [InlineData("chap")]
    [InlineData("pap")]
    public void A_wrong_password_ends_the_session_on_both_sides_without_a_lease(string method)
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, client) = Link(topology);
        using var relayd = StartRelayd(server, scratch, method);
        using var driver = NewDriver(client, "alice", "not-wonderland");
        string Context() => $"client:\n{driver.Trace}\nrelayd:\n{relayd.Output}";

        try
        {
            driver.Do((c, now) => c.Dial(now));
            var ended = driver.WaitFor<SessionEnded>(Timeout);
            var session = driver.L2tpEvents.OfType<SessionEstablished>().Single();
            var line = relayd.WaitForLine(l => l.Contains($"ppp: session {session.PeerTunnelId}/{session.PeerSessionId} ended", StringComparison.Ordinal));
            driver.Do((c, now) => c.HangUp(ended.Key.TunnelId, "test done", now));
            driver.RunUntil(() => driver.Controller.L2tp.AllStopsAcknowledged, Timeout, "acknowledgement of our StopCCN");
            var summary = relayd.Stop();

            Assert.Empty(driver.Events.OfType<SessionReady>());
            Assert.True(ended is { WasReady: false, Address: null }, Context());
            Assert.Contains("PPP authentication failed for \"alice\"", line, StringComparison.Ordinal);
            Assert.DoesNotContain("released", line, StringComparison.Ordinal);
            Assert.DoesNotContain(" ready: ", relayd.Output, StringComparison.Ordinal);
            Assert.Contains("sessions-ready=0 ppp-auth-failures=1 ", summary, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(Context());
        }
    }

    [Fact]
    public void A_static_address_from_the_secrets_file_is_assigned()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, client) = Link(topology);
        using var relayd = StartRelayd(server, scratch, "mschapv2");
        using var driver = NewDriver(client, "bob", "builder");
        string Context() => $"client:\n{driver.Trace}\nrelayd:\n{relayd.Output}";

        try
        {
            driver.Do((c, now) => c.Dial(now));
            var ready = driver.WaitFor<SessionReady>(Timeout);
            var line = relayd.WaitForLine(l => l.Contains($"ppp: session {ready.PeerTunnelId}/{ready.PeerSessionId} ready: ", StringComparison.Ordinal));
            driver.Do((c, now) => c.HangUp(ready.Key.TunnelId, "test done", now));
            driver.RunUntil(() => driver.Controller.L2tp.AllStopsAcknowledged, Timeout, "acknowledgement of our StopCCN");

            Assert.Equal(IPAddress.Parse(StaticAddress), ready.LocalAddress);
            Assert.Contains($"ready: user \"bob\" address {StaticAddress} ", line, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(Context());
        }
    }

    /// <summary>Wireshark reads every packet cleanly, and the LCP, authentication and IPCP exchanges carry what they should.</summary>
    private void CheckCapture(string path, string method, IPAddress assigned)
    {
        var rows = TShark.Dissect(path, "ip.src", "ppp.protocol", "ppp.code", "lcp.opt.auth_protocol", "lcp.opt.algorithm",
            "chap.code", "chap.name", "pap.code", "pap.peer_id", "ipcp.opt.ip_address", "ipcp.opt.pri_dns_address", "ipcp.opt.sec_dns_address");
        var ppp = rows.Where(r => r["ppp.protocol"].Length > 0).ToList();
        var dump = string.Join('\n', ppp.Select(r => string.Join(' ', r.Where(c => c.Value.Length > 0 && c.Key is not ("_ws.col.info")).Select(c => $"{c.Key}={c.Value}")) + $"  [{r["_ws.col.info"]}]"));
        output.WriteLine(dump);
        bool From(IReadOnlyDictionary<string, string> r, string address) => r["ip.src"] == address;

        // LCP (RFC 1661 §5.1): relayd's Configure-Request demands the configured method (RFC 1994 §3, RFC 2759 §2, RFC 1334 §2.1.2).
        var lcpRequest = ppp.First(r => From(r, RelaydAddress) && Protocol(r) == PppProtocolLcp && r["ppp.code"] == "1");
        var (authProtocol, algorithm) = method switch { "pap" => ("0xc023", ""), "chap" => ("0xc223", "5"), _ => ("0xc223", "129") };
        Assert.True(Hex(lcpRequest["lcp.opt.auth_protocol"]) == authProtocol && Number(lcpRequest["lcp.opt.algorithm"]) == algorithm, dump);
        Assert.Contains(ppp, r => From(r, ClientAddress) && Protocol(r) == PppProtocolLcp && r["ppp.code"] == "2");

        if (method == "pap")
        {
            Assert.Contains(ppp, r => From(r, ClientAddress) && r["pap.code"] == "1" && r["pap.peer_id"] == "alice");
            Assert.Contains(ppp, r => From(r, RelaydAddress) && r["pap.code"] == "2");
        }
        else
        {
            Assert.Contains(ppp, r => From(r, RelaydAddress) && r["chap.code"] == "1");
            Assert.Contains(ppp, r => From(r, ClientAddress) && r["chap.code"] == "2" && r["chap.name"] == "alice");
            Assert.Contains(ppp, r => From(r, RelaydAddress) && r["chap.code"] == "3");
        }

        // IPCP (RFC 1332 §3.3): relayd Naks our 0.0.0.0 with the address it assigns (and the DNS servers, RFC 1877),
        // we ask again with them, and relayd Acks.
        var nak = ppp.FirstOrDefault(r => From(r, RelaydAddress) && Protocol(r) == PppProtocolIpcp && r["ppp.code"] == "3");
        Assert.True(nak is not null && nak["ipcp.opt.ip_address"] == assigned.ToString()
            && nak["ipcp.opt.pri_dns_address"] == Dns[0] && nak["ipcp.opt.sec_dns_address"] == Dns[1], dump);
        Assert.Contains(ppp, r => From(r, ClientAddress) && Protocol(r) == PppProtocolIpcp && r["ppp.code"] == "1" && r["ipcp.opt.ip_address"] == assigned.ToString());
        Assert.Contains(ppp, r => From(r, RelaydAddress) && Protocol(r) == PppProtocolIpcp && r["ppp.code"] == "2" && r["ipcp.opt.ip_address"] == assigned.ToString());
    }

    private const string PppProtocolLcp = "0xc021";
    private const string PppProtocolIpcp = "0x8021";

    private static string Protocol(IReadOnlyDictionary<string, string> row) => Hex(row["ppp.protocol"]);

    /// <summary>tshark prints hex fields as 0x....; normalised to four lower-case digits.</summary>
    private static string Hex(string value)
        => value.Length == 0 ? "" : $"0x{Convert.ToInt32(value, value.StartsWith("0x", StringComparison.Ordinal) ? 16 : 10):x4}";

    private static string Number(string value)
        => value.Length == 0 ? "" : Convert.ToInt32(value, value.StartsWith("0x", StringComparison.Ordinal) ? 16 : 10).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsInPool(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes[0] == 10 && bytes[1] == 201 && bytes[2] == 9 && bytes[3] is > 0 and < 255;
    }

    private static Relayd StartRelayd(NetworkNamespace server, ScratchDirectory scratch, string method)
    {
        var secrets = scratch.Write("ppp-secrets", $"""
            # client  server  secret        addresses (pppd: none listed = none allowed; * = any from the pool)
            alice     *       "wonderland"  *
            bob       *       "builder"    {StaticAddress}

            """);
        var ppp = $$"""{ "secretsFile": "{{secrets}}", "auth": ["{{method}}"], "dns": ["{{Dns[0]}}", "{{Dns[1]}}"] }""";
        return Relayd.Start(server, scratch, RelaydAddress, TunnelSecret, helloIntervalSeconds: 60, ppp,
            pools: """[{ "name": "clients", "range": "10.201.9.0/24" }]""");
    }

    private static ControllerDriver NewDriver(NetworkNamespace client, string user, string password)
    {
        var controller = new LacController(new LacOptions
        {
            Lns = new IPEndPoint(IPAddress.Parse(RelaydAddress), 1701),
            L2tp = new L2tpOptions { Role = L2tpRole.Lac, HostName = "relay-client", SecretFor = _ => Encoding.UTF8.GetBytes(TunnelSecret) },
            Ppp = new PppOptions
            {
                Role = PppRole.Peer,
                Name = user,
                AuthMethods = [PppAuthMethod.MsChapV2, PppAuthMethod.ChapMd5, PppAuthMethod.Pap],
                Credentials = new ClientCredentials(user, password),
            },
        });
        return new ControllerDriver(controller, NamespaceSockets.OpenUdp(client, new IPEndPoint(IPAddress.Parse(ClientAddress), 1701)));
    }

    private static Func<string, bool> FromRelayd(string info)
        => l => l.Contains($"{RelaydAddress} → {ClientAddress}", StringComparison.Ordinal) && l.Contains(info, StringComparison.Ordinal);

    private static Func<string, bool> FromClient(string info)
        => l => l.Contains($"{ClientAddress} → {RelaydAddress}", StringComparison.Ordinal) && l.Contains(info, StringComparison.Ordinal);

    private static (NetworkNamespace Server, NetworkNamespace Client) Link(Topology.Topology topology)
    {
        var server = topology.AddNamespace("s");
        var client = topology.AddNamespace("c");
        topology.Link(server, "eth0", $"{RelaydAddress}/24", client, "eth0", $"{ClientAddress}/24");
        return (server, client);
    }
}
