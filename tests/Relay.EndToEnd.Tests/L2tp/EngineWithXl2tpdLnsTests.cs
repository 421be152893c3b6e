using System.Net;
using System.Text;
using Relay.Control.L2tp;
using Relay.EndToEnd.Tests.Support;
using Relay.Topology;
using static Relay.EndToEnd.Tests.Support.CapturedL2tp;

namespace Relay.EndToEnd.Tests.L2tp;

/// <summary>
/// Our <see cref="L2tpEngine"/> as LAC (what relay-client will run), over a UDP socket in one
/// namespace, against xl2tpd as LNS in another. Needs root, xl2tpd and tshark.
/// </summary>
public sealed class EngineWithXl2tpdLnsTests(ITestOutputHelper output)
{
    private const string LnsAddress = "198.18.6.1";
    private const string LacAddress = "198.18.6.2";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public void Engine_lac_with_a_shared_secret_brings_up_tunnel_and_call_with_xl2tpd_and_closes_the_tunnel_cleanly()
    {
        var capture = Run(secret: "s3cret", out var context);

        // RFC 2661 §5.1.1 both ways: our SCCRQ challenges, xl2tpd answers and challenges back, our SCCCN answers.
        var messages = Distinct(capture);
        Assert.True(messages[0] is { MessageType: Sccrq, Source: LacAddress, HasChallenge: true }, context);
        Assert.True(messages[1] is { MessageType: Sccrp, Source: LnsAddress, HasChallenge: true, HasChallengeResponse: true }, context);
        Assert.True(messages[2] is { MessageType: Scccn, Source: LacAddress, HasChallengeResponse: true }, context);
    }

    [Fact]
    public void Engine_lac_without_tunnel_authentication_brings_up_tunnel_and_call_with_xl2tpd_and_closes_the_tunnel_cleanly()
    {
        var capture = Run(secret: null, out var context);

        Assert.DoesNotContain(capture, m => m.HasChallenge || m.HasChallengeResponse);
        Assert.True(Distinct(capture)[0] is { MessageType: Sccrq, Source: LacAddress }, context);
    }

    [Fact]
    public void Engine_lac_refuses_xl2tpd_when_its_challenge_response_comes_from_another_secret()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (lns, lac) = Link(topology);
        using var xl2tpd = Xl2tpd.StartLns(lns, scratch, LnsAddress, "another-secret");
        using var driver = NewDriver(lac, "s3cret");

        driver.Do((e, now) => e.OpenTunnel(LnsEndpoint, now));
        var closed = driver.WaitFor<TunnelClosed>(Timeout);
        driver.RunUntil(() => driver.Engine.AllStopsAcknowledged, Timeout, "acknowledgement of our StopCCN");
        xl2tpd.WaitForLine(l => l.Contains("closed to", StringComparison.Ordinal));

        // RFC 2661 §5.1.1: a wrong Challenge Response in the SCCRP ends the tunnel with StopCCN result 4.
        var context = $"engine:\n{driver.Trace}\nxl2tpd:\n{xl2tpd.Output}";
        output.WriteLine(context);
        Assert.Empty(driver.Events.OfType<TunnelEstablished>());
        Assert.True(closed is { Reason: TunnelCloseReason.Local, ResultCode: ResultCodes.StopNotAuthorized }, context);
        Assert.Equal(1, driver.Engine.Counters.AuthenticationFailures);
    }

    /// <summary>
    /// Tunnel, call, xl2tpd's CDN (its pppd fails), our StopCCN and its acknowledgement; returns the
    /// control messages captured on the LAC's side.
    /// </summary>
    private IReadOnlyList<CapturedL2tp> Run(string? secret, out string context)
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (lns, lac) = Link(topology);
        using var xl2tpd = Xl2tpd.StartLns(lns, scratch, LnsAddress, secret);
        using var capture = PacketCapture.Start(lac, "eth0", scratch["lac-side.pcapng"], "udp port 1701");
        using var driver = NewDriver(lac, secret);
        var engine = driver.Engine;
        var lnsEndpoint = LnsEndpoint;

        var tunnelId = driver.Do((e, now) => e.OpenTunnel(lnsEndpoint, now));
        var tunnel = driver.WaitFor<TunnelEstablished>(Timeout);
        var sessionId = driver.Do((e, now) => e.OpenSession(tunnelId, now));
        Assert.NotNull(sessionId);
        var session = driver.WaitFor<SessionEstablished>(Timeout);
        // xl2tpd's pppd cannot start here (no kernel PPP): xl2tpd hangs up the call with CDN.
        var closed = driver.WaitFor<SessionClosed>(Timeout);
        driver.Do((e, now) => e.CloseTunnel(tunnelId, ResultCodes.StopGeneralRequest, null, "test done", now));
        driver.RunUntil(() => engine.AllStopsAcknowledged, Timeout, "acknowledgement of our StopCCN");
        xl2tpd.WaitForLine(l => l.Contains("Connection closed", StringComparison.Ordinal) || l.Contains("closed to", StringComparison.Ordinal));
        capture.WaitForPackets(Timeout, l => l.Contains("StopCCN", StringComparison.Ordinal), l => l.Contains($"{LnsAddress} → {LacAddress}", StringComparison.Ordinal) && l.Contains("ZLB", StringComparison.Ordinal));
        var captured = Read(capture.Stop());

        context = $"capture:\n{string.Join('\n', captured)}\nengine:\n{driver.Trace}\nxl2tpd:\n{xl2tpd.Output}";
        output.WriteLine(context);
        Assert.True(tunnel.TunnelId == tunnelId && tunnel.PeerHostName == "xl2tpd-lns" && tunnel.Peer.Equals(lnsEndpoint), context);
        Assert.True(session.TunnelId == tunnelId && session.SessionId == sessionId, context);
        Assert.True(closed is { SessionId: var s, ByPeer: true } && s == sessionId, context);
        Assert.True(driver.Events.OfType<TunnelClosed>().Single() is { Reason: TunnelCloseReason.Local, ResultCode: ResultCodes.StopGeneralRequest }, context);
        Assert.True(engine.Counters.MalformedTotal == 0 && engine.Counters.FsmErrors == 0 && engine.Counters.AuthenticationFailures == 0, context);

        (string From, int Type)[] expected =
        [
            (LacAddress, Sccrq), (LnsAddress, Sccrp), (LacAddress, Scccn),
            (LacAddress, Icrq), (LnsAddress, Icrp), (LacAddress, Iccn), (LnsAddress, Cdn), (LacAddress, StopCcn),
        ];
        Assert.True(expected.SequenceEqual(Distinct(captured).Select(m => (m.Source, m.MessageType!.Value))), context);
        var stop = Distinct(captured).Last();
        Assert.Contains(captured, m => m.IsZlb && m.Source == LnsAddress && m.Frame > stop.Frame && m.Nr == (ushort)(stop.Ns + 1));
        return captured;
    }

    private static IPEndPoint LnsEndpoint => new(IPAddress.Parse(LnsAddress), 1701);

    private static (NetworkNamespace Lns, NetworkNamespace Lac) Link(Topology.Topology topology)
    {
        var lns = topology.AddNamespace("l");
        var lac = topology.AddNamespace("c");
        topology.Link(lns, "eth0", $"{LnsAddress}/24", lac, "eth0", $"{LacAddress}/24");
        return (lns, lac);
    }

    private static EngineDriver NewDriver(NetworkNamespace lac, string? secret)
    {
        var engine = new L2tpEngine(new L2tpOptions
        {
            Role = L2tpRole.Lac,
            HostName = "relay-client",
            SecretFor = _ => secret is null ? null : Encoding.UTF8.GetBytes(secret),
        });
        return new EngineDriver(engine, NamespaceSockets.OpenUdp(lac, new IPEndPoint(IPAddress.Parse(LacAddress), 1701)));
    }
}
