using System.Text.RegularExpressions;
using Relay.EndToEnd.Tests.Ipsec;
using Relay.EndToEnd.Tests.Support;

namespace Relay.EndToEnd.Tests.FastPath;

/// <summary>
/// The FIG. 3 IPsec test with the kernel fast path on (generic XDP on site A's link): strongSwan's IKE
/// and ESP-in-UDP from A are forwarded to B by the kernel, B's answers by the workers, and the bytes
/// arrive intact.
/// </summary>
public sealed partial class Fig3FastPathTests(ITestOutputHelper output)
{
    [Fact]
    public void Ipsec_between_two_natted_clients_runs_with_the_fast_path_forwarding_one_direction()
    {
        using var scratch = new ScratchDirectory();
        var pins = $"/sys/fs/bpf/relay-fig3-{Guid.NewGuid():N}";
        using var hub = new Fig3Hub(scratch,
            $"\"dataplane\": {{ \"fastPath\": \"xdp-generic\", \"fastPathInterface\": \"etha\", \"fastPathRequired\": true, \"fastPathPins\": \"{pins}\", \"statsSeconds\": 0 }}");
        hub.Server.EnableForwarding(); // bpf_fib_lookup answers only on interfaces that forward
        try
        {
            hub.StartClients();
            var initiated = hub.StartIpsec();
            Assert.Contains($"TS {Fig3Hub.InnerA}/32 === {Fig3Hub.InnerB}/32", initiated, StringComparison.Ordinal);
            var mbps = IpsecFlow.Tcp(hub.ClientA, Fig3Hub.InnerA, hub.ClientB, Fig3Hub.InnerB, 2 << 20);
            IpsecFlow.FullSizeUdp(hub.ClientB, Fig3Hub.InnerB, hub.ClientA, Fig3Hub.InnerA, Fig3Hub.IpsecMtu - 28, 20);
            Assert.True(hub.SwanB!.InboundBytes() >= 2 << 20, hub.SwanB.ListSas());
            Assert.True(hub.SwanA!.InboundBytes() >= 20 * (Fig3Hub.IpsecMtu - 28), hub.SwanA.ListSas());

            hub.Relayd.Stop();
            var line = hub.Relayd.WaitForLine(l => l.Contains("fastpath: sessions=", StringComparison.Ordinal));
            output.WriteLine($"TCP 2 MiB {mbps:F0} Mbit/s; {line}");
            var forwarded = long.Parse(Forwarded().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(forwarded > 1000, $"the kernel forwarded only {forwarded}: {line}");
            Assert.False(Directory.Exists(pins), "pins left after stop");
        }
        finally
        {
            output.WriteLine(hub.Context());
        }
    }

    [GeneratedRegex(@"forwarded=(\d+)")]
    private static partial Regex Forwarded();
}
