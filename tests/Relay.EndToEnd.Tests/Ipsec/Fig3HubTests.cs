using System.Diagnostics;
using Relay.EndToEnd.Tests.Support;
using Relay.Testing;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Ipsec;

/// <summary>
/// FIG. 3 of the invention, whole (<see cref="Fig3Hub"/>): client A behind NAT-A and client B behind NAT-B,
/// relayd on the "internet" between them. Each runs relay-client (mode auto: it must find the NAT and decide
/// "tunnel") and strongSwan; IKEv2 runs between their tunnel addresses through relayd, and traffic crosses
/// the SA intact. Needs root, strongSwan, tshark, artifacts/bin/{relayd,relay-client}.
/// </summary>
public sealed class Fig3HubTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A TCP stream and full-size UDP datagrams arrive unchanged; captures on both NATs' outside links show
    /// nothing but L2TP (1701) and STUN (3478): no IKE or ESP crosses a NAT bare.
    /// </summary>
    [Fact]
    public void Ipsec_between_two_natted_clients_runs_through_relayd_and_delivers_its_bytes_intact()
    {
        using var scratch = new ScratchDirectory();
        using var hub = new Fig3Hub(scratch);
        using var captureA = PacketCapture.Start(hub.NatA, "eth1", scratch["nat-a-outside.pcapng"], "ip and not (udp port 1701 or udp port 3478)");
        using var captureB = PacketCapture.Start(hub.NatB, "eth1", scratch["nat-b-outside.pcapng"], "ip and not (udp port 1701 or udp port 3478)");
        try
        {
            var clock = Stopwatch.StartNew();
            hub.StartClients();
            var tunnelsUp = clock.Elapsed;
            Assert.Contains($"decision tunnel: nat: the relay saw udp 4500 as 198.18.32.2:4500", hub.RelayClientA!.Output, StringComparison.Ordinal);
            Assert.Contains($"decision tunnel: nat: the relay saw udp 4500 as 198.18.33.2:4500", hub.RelayClientB!.Output, StringComparison.Ordinal);
            var initiated = hub.StartIpsec();
            var saUp = clock.Elapsed;
            Assert.Contains($"TS {Fig3Hub.InnerA}/32 === {Fig3Hub.InnerB}/32", initiated, StringComparison.Ordinal);

            var mbps = IpsecFlow.Tcp(hub.ClientA, Fig3Hub.InnerA, hub.ClientB, Fig3Hub.InnerB, 2 << 20);
            IpsecFlow.FullSizeUdp(hub.ClientB, Fig3Hub.InnerB, hub.ClientA, Fig3Hub.InnerA, Fig3Hub.IpsecMtu - 28, 20);
            output.WriteLine($"both tunnels up {tunnelsUp.TotalMilliseconds:F0} ms after the clients started; SA up at {saUp.TotalMilliseconds:F0} ms; TCP 2 MiB through relayd {mbps:F0} Mbit/s");

            Assert.True(hub.SwanB!.InboundBytes() >= 2 << 20, hub.SwanB.ListSas());
            Assert.True(hub.SwanA!.InboundBytes() >= 20 * (Fig3Hub.IpsecMtu - 28), hub.SwanA.ListSas());
            foreach (var capture in new[] { captureA, captureB })
            {
                var path = capture.Stop();
                var bare = TShark.Dissect(path, "ip.src", "ip.dst", "ip.proto");
                Assert.True(bare.Count == 0, $"{path}: {bare.Count} packets other than L2TP/STUN, e.g. {string.Join(", ", bare.Take(3).Select(r => $"{r["ip.src"]}->{r["ip.dst"]} proto {r["ip.proto"]}"))}");
            }
        }
        finally
        {
            output.WriteLine(hub.Context());
        }
    }

    /// <summary>relayd killed (SIGKILL) and restarted mid-flow: both clients notice, redial, and IPsec traffic resumes on the same SA.</summary>
    [Fact]
    public void After_relayd_is_killed_and_restarted_the_clients_reconnect_and_ipsec_traffic_resumes()
    {
        using var scratch = new ScratchDirectory();
        using var hub = new Fig3Hub(scratch);
        try
        {
            hub.StartClients();
            hub.StartIpsec();
            IpsecFlow.FullSizeUdp(hub.ClientA, Fig3Hub.InnerA, hub.ClientB, Fig3Hub.InnerB, 1000, 3);

            var clock = Stopwatch.StartNew();
            hub.KillAndRestartRelayd();
            var restarted = clock.Elapsed;
            hub.RelayClientA!.WaitForNth(2, l => l.Contains($"tunnel up: relay0 address {Fig3Hub.AddressA} ", StringComparison.Ordinal), ResumeTimeout);
            hub.RelayClientB!.WaitForNth(2, l => l.Contains($"tunnel up: relay0 address {Fig3Hub.AddressB} ", StringComparison.Ordinal), ResumeTimeout);
            var tunnelsBack = clock.Elapsed;
            var attempts = IpsecFlow.UntilDelivered(hub.ClientA, Fig3Hub.InnerA, hub.ClientB, Fig3Hub.InnerB, ResumeTimeout);
            var resumed = clock.Elapsed;
            output.WriteLine($"relayd back after {restarted.TotalMilliseconds:F0} ms; both tunnels back at {tunnelsBack.TotalMilliseconds:F0} ms; IPsec traffic resumed at {resumed.TotalMilliseconds:F0} ms ({attempts} probe(s))");

            IpsecFlow.FullSizeUdp(hub.ClientB, Fig3Hub.InnerB, hub.ClientA, Fig3Hub.InnerA, Fig3Hub.IpsecMtu - 28, 5);
            Assert.Contains("connection lost: ", hub.RelayClientA.Output, StringComparison.Ordinal);
            Assert.Contains("connection lost: ", hub.RelayClientB.Output, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(hub.Context());
        }
    }
}
