using System.Net;
using System.Text;
using Relay.Control.L2tp;
using Relay.EndToEnd.Tests.Support;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.L2tp;

/// <summary>
/// Our <see cref="L2tpEngine"/> as LAC against l2tpns as LNS (a second, independent LNS). PPP is not
/// built yet, so the test stops once the call is up (l2tpns starts LCP on it; those data messages
/// are only counted). Needs root and l2tpns.
/// </summary>
public sealed class EngineWithL2tpnsTests(ITestOutputHelper output)
{
    private const string LnsAddress = "198.18.7.1";
    private const string LacAddress = "198.18.7.2";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public void Engine_lac_with_a_shared_secret_brings_up_tunnel_and_call_with_l2tpns_and_closes_the_tunnel_cleanly()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (lns, lac) = Link(topology);
        using var l2tpns = L2tpns.Start(lns, scratch, LnsAddress, "eth0", "s3cret");
        using var capture = PacketCapture.Start(lac, "eth0", scratch["lac-side.pcapng"], "udp port 1701");
        using var driver = NewDriver(lac, "s3cret");
        var engine = driver.Engine;
        string Context() => $"engine:\n{driver.Trace}\nl2tpns:\n{l2tpns.Output}";

        try
        {
            var tunnelId = driver.Do((e, now) => e.OpenTunnel(LnsEndpoint, now));
            var tunnel = driver.WaitFor<TunnelEstablished>(Timeout);
            var sessionId = driver.Do((e, now) => e.OpenSession(tunnelId, now));
            var session = driver.WaitFor<SessionEstablished>(Timeout);
            // l2tpns starts LCP on the call at once: data messages to our tunnel and session ids.
            driver.RunUntil(() => driver.DataMessages.Count > 0, Timeout, "a data message (LCP) from l2tpns");
            Assert.True(driver.DataMessages[0] == (tunnelId, sessionId), Context());
            driver.Do((e, now) => e.CloseTunnel(tunnelId, ResultCodes.StopGeneralRequest, null, "test done", now));
            driver.RunUntil(() => engine.AllStopsAcknowledged, Timeout, "acknowledgement of our StopCCN");
            capture.WaitForPackets(Timeout, l => l.Contains("StopCCN", StringComparison.Ordinal), l => l.Contains($"{LnsAddress} → {LacAddress}", StringComparison.Ordinal) && l.Contains("ZLB", StringComparison.Ordinal));
            var captured = CapturedL2tp.Read(capture.Stop());
            output.WriteLine(string.Join('\n', captured));

            Assert.True(tunnel.TunnelId == tunnelId && tunnel.Peer.Equals(LnsEndpoint), Context());
            // l2tpns answers our challenge (RFC 2661 §5.1.1) but does not challenge us.
            var sccrp = CapturedL2tp.Distinct(captured)[1];
            Assert.True(sccrp is { MessageType: CapturedL2tp.Sccrp, HasChallengeResponse: true }, Context());
            Assert.True(session.TunnelId == tunnelId && session.SessionId == sessionId, Context());
            Assert.True(engine.Counters.MalformedTotal == 0 && engine.Counters.FsmErrors == 0 && engine.Counters.AuthenticationFailures == 0, Context());
            Assert.True(driver.Events.OfType<TunnelClosed>().Single() is { Reason: TunnelCloseReason.Local }, Context());
        }
        finally
        {
            output.WriteLine(Context());
        }
    }

    [Fact]
    public void Engine_lac_refuses_l2tpns_when_its_challenge_response_comes_from_another_secret()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (lns, lac) = Link(topology);
        using var l2tpns = L2tpns.Start(lns, scratch, LnsAddress, "eth0", "another-secret");
        using var driver = NewDriver(lac, "s3cret");
        string Context() => $"engine:\n{driver.Trace}\nl2tpns:\n{l2tpns.Output}";

        try
        {
            driver.Do((e, now) => e.OpenTunnel(LnsEndpoint, now));
            var closed = driver.WaitFor<TunnelClosed>(Timeout);
            driver.RunUntil(() => driver.Engine.AllStopsAcknowledged, Timeout, "acknowledgement of our StopCCN");

            // §5.1.1: a wrong Challenge Response in the SCCRP ends the tunnel with StopCCN result 4.
            Assert.Empty(driver.Events.OfType<TunnelEstablished>());
            Assert.True(closed is { Reason: TunnelCloseReason.Local, ResultCode: ResultCodes.StopNotAuthorized }, Context());
            Assert.Equal(1, driver.Engine.Counters.AuthenticationFailures);
        }
        finally
        {
            output.WriteLine(Context());
        }
    }

    private static IPEndPoint LnsEndpoint => new(IPAddress.Parse(LnsAddress), 1701);

    private static (NetworkNamespace Lns, NetworkNamespace Lac) Link(Topology.Topology topology)
    {
        var lns = topology.AddNamespace("l");
        var lac = topology.AddNamespace("c");
        topology.Link(lns, "eth0", $"{LnsAddress}/24", lac, "eth0", $"{LacAddress}/24");
        return (lns, lac);
    }

    private static EngineDriver NewDriver(NetworkNamespace lac, string secret)
    {
        var engine = new L2tpEngine(new L2tpOptions
        {
            Role = L2tpRole.Lac,
            HostName = "relay-client",
            SecretFor = _ => Encoding.UTF8.GetBytes(secret),
        });
        return new EngineDriver(engine, NamespaceSockets.OpenUdp(lac, new IPEndPoint(IPAddress.Parse(LacAddress), 1701)));
    }
}
