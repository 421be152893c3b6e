using Relay.EndToEnd.Tests.Support;
using Relay.Topology;
using static Relay.EndToEnd.Tests.Support.CapturedL2tp;

namespace Relay.EndToEnd.Tests.L2tp;

/// <summary>
/// xl2tpd's own keepalive: it sends HELLO after 60 s of silence, a fixed interval that no setting
/// shortens, so this is the one slow test (about a minute; it runs beside the others). Filter it
/// out with <c>--filter Speed!=Slow</c>.
/// </summary>
public sealed class RelaydAnswersXl2tpdHelloTests(ITestOutputHelper output)
{
    private const string RelaydAddress = "198.18.5.1";
    private const string LacAddress = "198.18.5.2";
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(80);

    [Fact]
    [Trait("Speed", "Slow")]
    public void Relayd_acknowledges_the_hello_xl2tpd_sends_on_an_idle_tunnel()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var client = topology.AddNamespace("c");
        topology.Link(server, "eth0", $"{RelaydAddress}/24", client, "eth0", $"{LacAddress}/24");
        // relayd's own HELLO interval is long, so the only keepalive on the wire is xl2tpd's.
        using var relayd = Relayd.Start(server, scratch, RelaydAddress, "s3cret", helloIntervalSeconds: 3600);
        using var capture = PacketCapture.Start(server, "eth0", scratch["relayd-side.pcapng"], "udp port 1701");
        using var xl2tpd = Xl2tpd.StartLac(client, scratch, RelaydAddress, "s3cret");

        xl2tpd.Dial();
        relayd.WaitForLine(l => l.Contains(" up with ", StringComparison.Ordinal));
        capture.WaitForPackets(HelloTimeout,
            l => l.Contains($"{LacAddress} → {RelaydAddress}", StringComparison.Ordinal) && l.Contains("Hello", StringComparison.Ordinal),
            l => l.Contains($"{RelaydAddress} → {LacAddress}", StringComparison.Ordinal) && l.Contains("ZLB", StringComparison.Ordinal));
        var all = Read(capture.Stop());

        var context = $"capture:\n{string.Join('\n', all)}\nrelayd:\n{relayd.Output}\nxl2tpd:\n{xl2tpd.Output}";
        output.WriteLine(context);
        // RFC 2661 §6.5 / §5.8: the HELLO is acknowledged (here by a ZLB whose Nr passes its Ns) and the tunnel stays.
        var hello = Distinct(all).First(m => m.MessageType == Hello);
        Assert.Equal(LacAddress, hello.Source);
        Assert.Contains(all, m => m.IsZlb && m.Source == RelaydAddress && m.Frame > hello.Frame && m.Nr == (ushort)(hello.Ns + 1));
        Assert.DoesNotContain("closed (", relayd.Output, StringComparison.Ordinal);
    }
}
