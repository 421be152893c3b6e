using Relay.EndToEnd.Tests.Support;

namespace Relay.EndToEnd.Tests.Ipsec;

/// <summary>
/// The strongSwan harness proven on its own, without Relay: two namespaces on one link, IKEv2 PSK between
/// them, a CHILD_SA between inner addresses, and a TCP stream and full-size UDP datagrams through it.
/// This is the "no NAT, direct" baseline the tunnel cases are compared with. Needs root and strongSwan.
/// </summary>
public sealed class StrongSwanDirectTests(ITestOutputHelper output)
{
    private const string A = "198.18.41.1";
    private const string B = "198.18.41.2";
    private const string InnerA = "10.77.41.1";
    private const string InnerB = "10.77.42.1";

    [Fact]
    public void Ikev2_between_two_namespaces_carries_tcp_and_full_size_udp_intact()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var a = topology.AddNamespace("a");
        var b = topology.AddNamespace("b");
        topology.Link(a, "eth0", $"{A}/24", b, "eth0", $"{B}/24");
        using var swanA = StrongSwan.Start(a, scratch, "a", A, B, InnerA, InnerB);
        using var swanB = StrongSwan.Start(b, scratch, "b", B, A, InnerB, InnerA);
        try
        {
            var initiated = swanA.Initiate();
            Assert.Contains($"TS {InnerA}/32 === {InnerB}/32", initiated, StringComparison.Ordinal);

            var mbps = IpsecFlow.Tcp(a, InnerA, b, InnerB, 4 << 20);
            output.WriteLine($"TCP 4 MiB through the SA: {mbps:F0} Mbit/s");
            // ipsec0's MTU is 1400 by default: 1400 - 20 (IPv4) - 8 (UDP) is the largest unfragmented datagram.
            IpsecFlow.FullSizeUdp(a, InnerA, b, InnerB, 1400 - 28, 20);

            var sas = swanB.ListSas();
            output.WriteLine(sas);
            Assert.Contains("ESTABLISHED", sas, StringComparison.Ordinal);
            Assert.Contains("INSTALLED, TUNNEL-in-UDP", sas, StringComparison.Ordinal);
            // The stream and the datagrams were counted by the SA: they did not bypass it.
            Assert.True(swanB.InboundBytes() >= (4 << 20) + (20 * (1400 - 28)), sas);
        }
        finally
        {
            output.WriteLine($"charon a:\n{swanA.Output}\ncharon b:\n{swanB.Output}");
        }
    }
}
