using Relay.EndToEnd.Tests.Support;
using Relay.Topology;
using static Relay.EndToEnd.Tests.Support.CapturedL2tp;

namespace Relay.EndToEnd.Tests.L2tp;

/// <summary>
/// The AOT relayd as LNS, dialled by xl2tpd as LAC from another namespace; the capture is taken on
/// relayd's side and judged by Wireshark's dissector. Needs root, xl2tpd and tshark.
/// </summary>
public sealed class RelaydWithXl2tpdLacTests(ITestOutputHelper output)
{
    private const string RelaydAddress = "198.18.5.1";
    private const string LacAddress = "198.18.5.2";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public void Xl2tpd_completes_tunnel_and_call_with_challenges_both_ways_and_relayd_keeps_the_tunnel_after_the_cdn()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, client) = Link(topology);
        using var relayd = Relayd.Start(server, scratch, RelaydAddress, "s3cret", helloIntervalSeconds: 1);
        using var capture = PacketCapture.Start(server, "eth0", scratch["relayd-side.pcapng"], "udp port 1701");
        using var xl2tpd = Xl2tpd.StartLac(client, scratch, RelaydAddress, "s3cret");

        xl2tpd.Dial();
        relayd.WaitForLine(l => l.Contains("l2tp: tunnel ", StringComparison.Ordinal) && l.Contains($" up with {LacAddress}:1701 (host \"xl2tpd-lac\"", StringComparison.Ordinal));
        relayd.WaitForLine(l => l.Contains("l2tp: session ", StringComparison.Ordinal) && l.Contains(" established", StringComparison.Ordinal));
        // xl2tpd's pppd cannot run here: it hangs up with CDN.
        relayd.WaitForLine(l => l.Contains("l2tp: session ", StringComparison.Ordinal) && l.Contains(" closed by peer", StringComparison.Ordinal));
        // relayd idles for helloIntervalSeconds, sends HELLO, and xl2tpd acknowledges it.
        capture.WaitForPackets(Timeout, FromRelayd("Hello"), FromXl2tpd("ZLB"));
        Assert.DoesNotContain("closed (", relayd.Output, StringComparison.Ordinal);

        var summary = relayd.Stop();
        capture.WaitForPackets(Timeout, FromRelayd("StopCCN"), FromXl2tpd("ZLB"));
        var path = capture.Stop();

        Assert.Contains("tunnels-established=1 sessions-established=1 ", summary, StringComparison.Ordinal);
        Assert.Contains("auth-failures=0 malformed=0 ", summary, StringComparison.Ordinal);
        var all = Read(path);
        var messages = Distinct(all);
        var context = $"capture:\n{string.Join('\n', all)}\nrelayd:\n{relayd.Output}\nxl2tpd:\n{xl2tpd.Output}";
        output.WriteLine(context);
        (string From, int Type)[] handshake =
        [
            (LacAddress, Sccrq), (RelaydAddress, Sccrp), (LacAddress, Scccn),
            (LacAddress, Icrq), (RelaydAddress, Icrp), (LacAddress, Iccn), (LacAddress, Cdn),
        ];
        Assert.True(messages.Count >= handshake.Length, context);
        Assert.True(handshake.SequenceEqual(messages.Take(handshake.Length).Select(m => (m.Source, m.MessageType!.Value))), context);

        // RFC 2661 §5.1.1: each side challenges the other and answers the other's challenge.
        var sccrq = messages[0];
        var sccrp = messages[1];
        var scccn = messages[2];
        Assert.True(sccrq.HasChallenge, context);
        Assert.True(sccrp.HasChallenge && sccrp.HasChallengeResponse, context);
        Assert.True(scccn.HasChallengeResponse, context);

        // §6.5: relayd's HELLO is acknowledged by a ZLB from xl2tpd whose Nr passes the HELLO's Ns.
        var hello = messages.First(m => m.MessageType == Hello && m.Source == RelaydAddress);
        Assert.Contains(all, m => m.IsZlb && m.Source == LacAddress && m.Frame > hello.Frame && m.Nr == (ushort)(hello.Ns + 1));

        // Shutdown: relayd's StopCCN (result 6) is acknowledged by xl2tpd.
        var stop = messages.SingleOrDefault(m => m.MessageType == StopCcn);
        Assert.True(stop is { Source: RelaydAddress, ResultCode: "6" }, context);
        Assert.Contains(all, m => m.Source == LacAddress && m.Frame > stop.Frame && m.Nr == (ushort)(stop.Ns + 1));
    }

    [Fact]
    public void Different_tunnel_secrets_are_refused_with_a_stopccn_and_no_tunnel_comes_up()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, client) = Link(topology);
        using var relayd = Relayd.Start(server, scratch, RelaydAddress, "s3cret", helloIntervalSeconds: 60);
        using var capture = PacketCapture.Start(server, "eth0", scratch["relayd-side.pcapng"], "udp port 1701");
        using var xl2tpd = Xl2tpd.StartLac(client, scratch, RelaydAddress, "another-secret");

        xl2tpd.Dial();
        relayd.WaitForLine(l => l.Contains("l2tp: tunnel ", StringComparison.Ordinal) && l.Contains(" closed (Peer", StringComparison.Ordinal));
        capture.WaitForPackets(Timeout, FromXl2tpd("StopCCN"), FromRelayd("ZLB"));
        var summary = relayd.Stop();
        var path = capture.Stop();

        var all = Read(path);
        var context = $"capture:\n{string.Join('\n', all)}\nrelayd:\n{relayd.Output}\nxl2tpd:\n{xl2tpd.Output}";
        output.WriteLine(context);
        Assert.DoesNotContain(" up with ", relayd.Output, StringComparison.Ordinal);
        Assert.Contains("tunnels-established=0 ", summary, StringComparison.Ordinal);
        // xl2tpd checks relayd's Challenge Response in the SCCRP first: it acknowledges the SCCRP,
        // then sends StopCCN result 2 (general error), error 6 (vendor specific) with its reason,
        // which relayd acknowledges.
        var stop = Distinct(all).SingleOrDefault(m => m.MessageType == StopCcn);
        Assert.True(stop is { Source: LacAddress, ResultCode: "2", ErrorCode: "6" }, context);
        Assert.Contains(all, m => m.IsZlb && m.Source == RelaydAddress && m.Frame > stop.Frame && m.Nr == (ushort)(stop.Ns + 1));
        relayd.WaitForLine(l => l.Contains("closed (Peer, result 2 error 6 \"Invalid challenge authentication\")", StringComparison.Ordinal));
    }

    [Fact]
    public void Relayd_refuses_a_challenge_response_made_with_another_secret_with_stopccn_result_4()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var (server, client) = Link(topology);
        using var relayd = Relayd.Start(server, scratch, RelaydAddress, "s3cret", helloIntervalSeconds: 60);
        using var capture = PacketCapture.Start(server, "eth0", scratch["relayd-side.pcapng"], "udp port 1701");
        // xl2tpd does not challenge, so relayd's SCCRP is accepted; its SCCCN answers relayd's challenge wrongly.
        using var xl2tpd = Xl2tpd.StartLac(client, scratch, RelaydAddress, "another-secret", challenge: false);

        xl2tpd.Dial();
        relayd.WaitForLine(l => l.Contains("l2tp: tunnel ", StringComparison.Ordinal) && l.Contains(" closed (Local", StringComparison.Ordinal));
        capture.WaitForPackets(Timeout, FromRelayd("StopCCN"), FromXl2tpd("ZLB"));
        var summary = relayd.Stop();
        var all = Read(capture.Stop());

        var context = $"capture:\n{string.Join('\n', all)}\nrelayd:\n{relayd.Output}\nxl2tpd:\n{xl2tpd.Output}";
        output.WriteLine(context);
        Assert.DoesNotContain(" up with ", relayd.Output, StringComparison.Ordinal);
        Assert.Contains("tunnels-established=0 ", summary, StringComparison.Ordinal);
        Assert.Contains(" auth-failures=1 ", summary, StringComparison.Ordinal);
        var messages = Distinct(all);
        Assert.True(messages.Count >= 4, context);
        Assert.True(messages[0] is { MessageType: Sccrq, HasChallenge: false }, context);
        Assert.True(messages[1] is { MessageType: Sccrp, HasChallenge: true, HasChallengeResponse: false }, context);
        Assert.True(messages[2] is { MessageType: Scccn, HasChallengeResponse: true }, context);
        // RFC 2661 §4.4.2: result 4, "requester is not authorized to establish a control channel".
        // (xl2tpd sends its ICRQ right behind the SCCCN, before relayd's StopCCN.)
        Assert.True(messages.Single(m => m.MessageType == StopCcn) is { Source: RelaydAddress, ResultCode: "4" }, context);
    }

    /// <summary>A tshark summary line of a packet relayd sent whose info column contains <paramref name="info"/>.</summary>
    private static Func<string, bool> FromRelayd(string info)
        => l => l.Contains($"{RelaydAddress} → {LacAddress}", StringComparison.Ordinal) && l.Contains(info, StringComparison.Ordinal);

    private static Func<string, bool> FromXl2tpd(string info)
        => l => l.Contains($"{LacAddress} → {RelaydAddress}", StringComparison.Ordinal) && l.Contains(info, StringComparison.Ordinal);

    private static (NetworkNamespace Server, NetworkNamespace Client) Link(Topology.Topology topology)
    {
        var server = topology.AddNamespace("s");
        var client = topology.AddNamespace("c");
        topology.Link(server, "eth0", $"{RelaydAddress}/24", client, "eth0", $"{LacAddress}/24");
        return (server, client);
    }
}
