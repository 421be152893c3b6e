using System.Buffers.Binary;
using System.Net;
using System.Text.RegularExpressions;
using Relay.EndToEnd.Tests.Support;
using Relay.Testing;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.FastPath;

/// <summary>
/// FIG. 3 with the kernel fast path on: two AOT relay-clients in their own namespaces reach the AOT
/// relayd (dataplane.fastPath "xdp", native XDP on its veth uplink) through a router; ESP-in-UDP
/// (RFC 3948) between the clients' tunnel addresses arrives, and relayd's stop line shows the kernel
/// forwarded it. Needs root and artifacts/bin/{relayd,relay-client,relay_xdp.o}.
/// </summary>
public sealed partial class RelaydFastPathTests(ITestOutputHelper output)
{
    private const string RelaydAddress = "198.18.41.1";
    private const int Packets = 50;

    [Fact]
    public void Esp_in_udp_between_two_clients_is_forwarded_by_the_kernel_and_counted()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var router = topology.AddNamespace("r");
        var a = topology.AddNamespace("a");
        var b = topology.AddNamespace("b");
        topology.Link(server, "eth0", $"{RelaydAddress}/24", router, "es", "198.18.41.2/24");
        topology.Link(a, "eth0", "198.19.41.2/24", router, "ea", "198.19.41.1/24");
        topology.Link(b, "eth0", "198.20.41.2/24", router, "eb", "198.20.41.1/24");
        a.SetDefaultRoute("198.19.41.1");
        b.SetDefaultRoute("198.20.41.1");
        server.SetDefaultRoute("198.18.41.2");
        router.EnableForwarding();
        server.EnableForwarding(); // bpf_fib_lookup answers only for interfaces that forward
        foreach (var (ns, device) in new[] { (a, "eth0"), (b, "eth0"), (router, "ea"), (router, "eb"), (router, "es"), (server, "eth0") })
        {
            ns.MustExec("ethtool", "-K", device, "tx", "off");
        }
        // Native XDP_TX on a veth reaches the peer only when the peer runs XDP too.
        router.MustExec("ip", "link", "set", "dev", "es", "xdpdrv", "object", Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "relay_xdp.o"),
            "program", "relay_xdp_pass");
        server.MustExec("ping", "-c", "1", "-W", "2", "198.18.41.2");

        var secrets = scratch.Write("ppp-secrets", "alice * \"wonderland\" *\n");
        var pins = $"/sys/fs/bpf/relay-e2e-{topology.Id}";
        var relayd = Relayd.Start(server, scratch, RelaydAddress, "s3cret", helloIntervalSeconds: 60,
            ppp: $$"""{ "secretsFile": "{{secrets}}", "auth": ["chap"], "localAddress": "10.201.41.1" }""",
            pools: """[{ "name": "clients", "range": "10.201.41.0/24" }]""",
            more: $"\"dataplane\": {{ \"fastPath\": \"xdp\", \"fastPathInterface\": \"eth0\", \"fastPathRequired\": true, \"fastPathPins\": \"{pins}\", \"statsSeconds\": 0 }}");
        var config = RelayClient.WriteConfig(scratch, "client.json", RelaydAddress, """
            "mode": "always",
            "routes": ["10.201.41.0/24"]
            """);
        using var clientA = RelayClient.Start(a, config);
        using var clientB = RelayClient.Start(b, config);
        try
        {
            relayd.WaitForLine(l => l.Contains("fastpath: Xdp on eth0", StringComparison.Ordinal));
            var addressA = Address(clientA.WaitForLine(l => l.Contains("tunnel up: relay0 address ", StringComparison.Ordinal)));
            var addressB = Address(clientB.WaitForLine(l => l.Contains("tunnel up: relay0 address ", StringComparison.Ordinal)));
            using var socketA = NamespaceSockets.OpenUdp(a, new IPEndPoint(addressA, 4500));
            using var socketB = NamespaceSockets.OpenUdp(b, new IPEndPoint(addressB, 4500));
            socketB.ReceiveTimeout = 5000;

            var received = new byte[2048];
            for (var i = 0; i < Packets; i++)
            {
                var esp = new byte[8 + 64 + i];
                BinaryPrimitives.WriteUInt32BigEndian(esp, 0xC0FFEE01); // SPI
                BinaryPrimitives.WriteUInt32BigEndian(esp.AsSpan(4), (uint)i + 1); // sequence number
                esp.AsSpan(8).Fill((byte)i);
                socketA.SendTo(esp, new IPEndPoint(addressB, 4500));
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                var length = socketB.ReceiveFrom(received, ref from);
                Assert.Equal(new IPEndPoint(addressA, 4500), from);
                Assert.Equal(esp, received.AsSpan(0, length).ToArray());
            }

            // Not IPsec: the policy drops it, in the kernel as in user space.
            using var other = NamespaceSockets.OpenUdp(a, new IPEndPoint(addressA, 5353));
            other.SendTo(new byte[16], new IPEndPoint(addressB, 5353));

            relayd.Stop();
            var line = relayd.WaitForLine(l => l.StartsWith("fastpath: sessions=", StringComparison.Ordinal) || l.Contains(" fastpath: sessions=", StringComparison.Ordinal));
            output.WriteLine(line);
            var forwarded = long.Parse(Forwarded().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(forwarded >= Packets, $"the kernel forwarded {forwarded} of {Packets}: {line}");
            Assert.Contains("policy_denied=1", line, StringComparison.Ordinal);
            Assert.False(Directory.Exists(pins), "pins left after stop");
        }
        finally
        {
            output.WriteLine($"relayd:\n{relayd.Output}\nclient a:\n{clientA.Output}\nclient b:\n{clientB.Output}");
            relayd.Dispose();
        }
    }

    private static IPAddress Address(string upLine) => IPAddress.Parse(upLine.Split("address ")[1].Split(' ')[0]);

    [GeneratedRegex(@"forwarded=(\d+)")]
    private static partial Regex Forwarded();
}
