using System.Net;
using System.Text;
using Relay.Control.L2tp;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Control.Sessions;
using Relay.EndToEnd.Tests.Support;
using Relay.Topology;
using Relay.Wire.Ppp;

namespace Relay.EndToEnd.Tests.Ppp;

/// <summary>
/// Our client stack (<see cref="LacController"/>) dialling l2tpns, an independent LNS that sends
/// PPP authentication to RADIUS: FreeRADIUS runs beside it in its namespace (on loopback) with a
/// private config, one test client (l2tpns) and one user. Needs root, l2tpns and freeradius;
/// l2tpns ignores L2TP for about 3 s after start (see /work/shared/PEERS.md).
/// </summary>
public sealed class LacControllerWithL2tpnsRadiusTests(ITestOutputHelper output)
{
    private const string LnsAddress = "198.18.10.1";
    private const string ClientAddress = "198.18.10.2";
    private const string TunnelSecret = "s3cret";
    private const string RadiusSecret = "radius-s3cret";
    private static readonly (string Primary, string Secondary) Dns = ("192.0.2.53", "192.0.2.54");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("pap")]
    [InlineData("chap")]
    public void Client_authenticates_through_radius_and_gets_an_address_from_the_l2tpns_pool(string authType)
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (lns, client) = Link(topology);
        using var radius = StartRadius(lns, scratch);
        using var l2tpns = L2tpns.Start(lns, scratch, LnsAddress, "eth0", TunnelSecret, ("127.0.0.1", RadiusSecret, authType), Dns);
        using var driver = NewDriver(client, "alice", "wonderland");
        string Context() => $"client:\n{driver.Trace}\nl2tpns:\n{l2tpns.Output}\nfreeradius:\n{radius.Output}";

        try
        {
            driver.Do((c, now) => c.Dial(now));
            var ready = driver.WaitFor<SessionReady>(Timeout);
            radius.WaitForLine(l => l.Contains("Login OK: [alice]", StringComparison.Ordinal));
            driver.Do((c, now) => c.HangUp(ready.Key.TunnelId, "test done", now));
            driver.RunUntil(() => driver.Controller.L2tp.AllStopsAcknowledged, Timeout, "acknowledgement of our StopCCN");

            // LCP opened both ways (RFC 1661 §4.1: each side's Configure-Request acknowledged).
            Assert.True(driver.PppFrames.Contains((true, PppProtocol.Lcp, 2)) && driver.PppFrames.Contains((false, PppProtocol.Lcp, 2)), Context());
            // l2tpns asked for the configured method, and it passed: PAP Authenticate-Ack (RFC 1334 §2.2.2)
            // or CHAP Success (RFC 1994 §4.1).
            var (protocol, request, success) = authType == "pap" ? (PppProtocol.Pap, (byte)1, (byte)2) : (PppProtocol.Chap, (byte)2, (byte)3);
            Assert.True(driver.PppFrames.Contains((true, protocol, request)) && driver.PppFrames.Contains((false, protocol, success)), Context());
            // IPCP (RFC 1332, RFC 1877): our address from l2tpns's pool, its own is its bind address, DNS as configured.
            Assert.True(InL2tpnsPool(ready.LocalAddress), Context());
            Assert.Equal(IPAddress.Parse(LnsAddress), ready.PeerAddress);
            Assert.Equal([IPAddress.Parse(Dns.Primary), IPAddress.Parse(Dns.Secondary)], ready.Dns);
            // l2tpns logs the login on its own schedule: wait for the line, as for freeradius's.
            l2tpns.WaitForLine(l => l.Contains($"Login by alice at {ready.LocalAddress} from {ClientAddress}", StringComparison.Ordinal), Timeout);
            Assert.True(driver.Controller.L2tp.Counters.MalformedTotal == 0, Context());
        }
        finally
        {
            output.WriteLine(Context());
        }
    }

    [Theory]
    [InlineData("pap")]
    [InlineData("chap")]
    public void A_password_radius_rejects_ends_the_session_with_l2tpns_cdn(string authType)
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (lns, client) = Link(topology);
        using var radius = StartRadius(lns, scratch);
        using var l2tpns = L2tpns.Start(lns, scratch, LnsAddress, "eth0", TunnelSecret, ("127.0.0.1", RadiusSecret, authType));
        using var driver = NewDriver(client, "alice", "not-wonderland");
        string Context() => $"client:\n{driver.Trace}\nl2tpns:\n{l2tpns.Output}\nfreeradius:\n{radius.Output}";

        try
        {
            driver.Do((c, now) => c.Dial(now));
            var ended = driver.WaitFor<SessionEnded>(Timeout);
            radius.WaitForLine(l => l.Contains("Login incorrect", StringComparison.Ordinal) && l.Contains("[alice]", StringComparison.Ordinal));
            driver.Do((c, now) => c.HangUp(ended.Key.TunnelId, "test done", now));
            driver.RunUntil(() => driver.Controller.L2tp.AllStopsAcknowledged, Timeout, "acknowledgement of our StopCCN");

            Assert.Empty(driver.Events.OfType<SessionReady>());
            Assert.True(ended is { WasReady: false, Address: null }, Context());
            // l2tpns hangs up with a plain CDN, result 3 (RFC 2661 §4.4.2: administrative), no CHAP Failure.
            var closed = driver.L2tpEvents.OfType<SessionClosed>().Single();
            Assert.True(closed is { ByPeer: true, ResultCode: 3 }, Context());
        }
        finally
        {
            output.WriteLine(Context());
        }
    }

    private static FreeRadius StartRadius(NetworkNamespace lns, ScratchDirectory scratch)
        => FreeRadius.Start(lns, scratch, "127.0.0.1", "127.0.0.1", RadiusSecret, new Dictionary<string, string> { ["alice"] = "wonderland" });

    private static bool InL2tpnsPool(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes[0] == 10 && bytes[1] == 201 && bytes[2] == 2 && bytes[3] is > 0 and < 255;
    }

    private static ControllerDriver NewDriver(NetworkNamespace client, string user, string password)
    {
        var controller = new LacController(new LacOptions
        {
            Lns = new IPEndPoint(IPAddress.Parse(LnsAddress), 1701),
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

    private static (NetworkNamespace Lns, NetworkNamespace Client) Link(Topology.Topology topology)
    {
        var lns = topology.AddNamespace("l");
        var client = topology.AddNamespace("c");
        topology.Link(lns, "eth0", $"{LnsAddress}/24", client, "eth0", $"{ClientAddress}/24");
        return (lns, client);
    }
}
