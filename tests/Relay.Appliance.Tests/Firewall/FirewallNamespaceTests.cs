using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Relay.Topology;

namespace Relay.Appliance.Tests.Firewall;

/// <summary>
/// The ruleset relayd generates, loaded for real in a namespace "relay" behind a veth from a namespace
/// "net" that holds an Internet host (10.77.0.2) and the IPsec gateway (10.77.0.3). Invention [0015], [0017].
/// </summary>
public sealed partial class FirewallNamespaceTests : IDisposable
{
    private const string Config = """
        {
          "pools": [ { "name": "private", "range": "10.201.0.0/16" },
                     { "name": "dmz", "range": "198.51.100.0/28", "realm": "public" } ],
          "metrics": { "listen": "0.0.0.0:9641" },
          "firewall": { "gateways": [ "10.77.0.3", "2001:db8::/64" ], "metricsFrom": [ "10.77.0.3" ], "sshFrom": [ "192.0.2.0/24" ] }
        }
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly string _dir = Directory.CreateTempSubdirectory("relay-fw-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Generated_ruleset_passes_nft_check_and_loads_and_reloads_atomically()
    {
        var rules = ApplianceScripts.PrintFirewall(Config, _dir);
        using var topology = new Topology("fwc");
        var ns = topology.AddNamespace("relay");
        var check = Shell.Run("ip", ["netns", "exec", ns.Name, "nft", "-c", "-f", "-"], stdin: rules);
        Assert.True(check.Succeeded, check.ToString());
        for (var load = 0; load < 2; load++)
        {
            var loaded = Shell.Run("ip", ["netns", "exec", ns.Name, "nft", "-f", "-"], stdin: rules);
            Assert.True(loaded.Succeeded, loaded.ToString());
        }
        var tables = ns.MustExec("nft", "list", "tables").StandardOutput;
        Assert.Equal(1, Regex.Count(tables, "table inet relay"));
        var listed = ns.MustExec("nft", "list", "table", "inet", "relay").StandardOutput;
        Assert.Contains("policy drop", listed, StringComparison.Ordinal);
        Assert.Contains("10.77.0.3", listed, StringComparison.Ordinal);
        Assert.Contains("198.51.100.0/28", listed, StringComparison.Ordinal);
    }

    [Fact]
    public void Ruleset_loads_on_a_minimal_system_without_etc_protocols()
    {
        // The appliance image is debootstrap's minbase: no netbase, so nft cannot resolve protocol names.
        var rules = ApplianceScripts.PrintFirewall(Config, _dir);
        using var topology = new Topology("fwp");
        var ns = topology.AddNamespace("relay");
        var loaded = Shell.Run("ip", ["netns", "exec", ns.Name, "unshare", "-m", "--propagation", "private",
            "sh", "-c", "mount --bind /dev/null /etc/protocols && nft -f -"], stdin: rules);
        Assert.True(loaded.Succeeded, loaded.ToString());
    }

    [Fact]
    public void Default_configuration_ruleset_loads_and_allows_no_ipsec_and_no_forwarding()
    {
        var result = Shell.Run(Relay.Testing.RepositoryPaths.Relayd(), ["--print-firewall"]);
        Assert.True(result.Succeeded, result.ToString());
        using var topology = new Topology("fwd");
        var ns = topology.AddNamespace("relay");
        var loaded = Shell.Run("ip", ["netns", "exec", ns.Name, "nft", "-f", "-"], stdin: result.StandardOutput);
        Assert.True(loaded.Succeeded, loaded.ToString());
        var listed = ns.MustExec("nft", "list", "table", "inet", "relay").StandardOutput;
        // Empty sets: no gateway, no public pool, so IKE/ESP and forwarding match nothing.
        Assert.DoesNotContain("elements", listed, StringComparison.Ordinal);
        Assert.Contains("firewall.gateways is empty", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Allowed_traffic_passes_and_everything_else_is_dropped_and_counted()
    {
        var rules = ApplianceScripts.PrintFirewall(Config, _dir);
        using var topology = new Topology("fwt");
        var relay = topology.AddNamespace("relay");
        var net = topology.AddNamespace("net");
        topology.Link(relay, "eth0", "10.77.0.1/24", net, "eth0", "10.77.0.2/24");
        net.AddAddress("eth0", "10.77.0.3/24");
        var loaded = Shell.Run("ip", ["netns", "exec", relay.Name, "nft", "-f", "-"], stdin: rules);
        Assert.True(loaded.Succeeded, loaded.ToString());

        int[] ports = [1701, 3478, 500, 4500, 5000];
        var listeners = ports.ToDictionary(p => p, p => NamespaceSockets.OpenUdp(relay, new IPEndPoint(IPAddress.Any, p)));
        using var internet = NamespaceSockets.OpenUdp(net, new IPEndPoint(IPAddress.Parse("10.77.0.2"), 0));
        using var gateway = NamespaceSockets.OpenUdp(net, new IPEndPoint(IPAddress.Parse("10.77.0.3"), 0));
        using var espListener = NamespaceSockets.CreateInside(relay, () => new Socket(AddressFamily.InterNetwork, SocketType.Raw, (ProtocolType)50));
        using var espInternet = RawEsp(net, "10.77.0.2");
        using var espGateway = RawEsp(net, "10.77.0.3");
        try
        {
            var relayAddress = IPAddress.Parse("10.77.0.1");
            // From an Internet host: L2TP and STUN pass; IKE, NAT-T and anything else are dropped.
            foreach (var port in ports)
            {
                internet.SendTo("internet"u8, new IPEndPoint(relayAddress, port));
            }
            // From the gateway: IKE and NAT-T pass.
            gateway.SendTo("gateway"u8, new IPEndPoint(relayAddress, 500));
            gateway.SendTo("gateway"u8, new IPEndPoint(relayAddress, 4500));
            // ESP (IP protocol 50): from the gateway only.
            espInternet.SendTo("esp-internet"u8, new IPEndPoint(relayAddress, 0));
            espGateway.SendTo("esp-gateway"u8, new IPEndPoint(relayAddress, 0));
            // TCP to SSH and metrics from the Internet host: neither is allowed from there.
            var ssh = TryConnect(net, "10.77.0.2", 22);
            var metrics = TryConnect(net, "10.77.0.2", 9641);

            Assert.Equal("internet", Receive(listeners[1701]));
            Assert.Equal("internet", Receive(listeners[3478]));
            Assert.Equal("gateway", Receive(listeners[500]));
            Assert.Equal("gateway", Receive(listeners[4500]));
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            espListener.ReceiveTimeout = (int)Wait.TotalMilliseconds;
            var esp = new byte[128];
            var espLength = espListener.ReceiveFrom(esp, ref from);
            Assert.Equal("10.77.0.3", ((IPEndPoint)from).Address.ToString());
            Assert.EndsWith("esp-gateway", System.Text.Encoding.ASCII.GetString(esp, 0, espLength), StringComparison.Ordinal);
            // 3 UDP datagrams (500, 4500, 5000), one ESP packet, and at least one SYN each to 22 and 9641.
            WaitForCounter(relay, "dropped_in", atLeast: 6);
            Assert.Equal(0, espListener.Available);
            Assert.False(ssh.Wait(TimeSpan.Zero) && ssh.Result, "SSH from 10.77.0.2 connected");
            Assert.False(metrics.Wait(TimeSpan.Zero) && metrics.Result, "metrics from 10.77.0.2 connected");
            foreach (var port in new[] { 500, 4500, 5000, 1701, 3478 })
            {
                Assert.Equal(0, listeners[port].Available);
            }
            Assert.Equal(1, Counter(relay, "l2tp_in"));
            Assert.Equal(1, Counter(relay, "stun_in"));
            Assert.Equal(3, Counter(relay, "ipsec_gateway_in"));
            Assert.Equal(0, Counter(relay, "ssh_in"));
            Assert.Equal(0, Counter(relay, "metrics_in"));
        }
        finally
        {
            foreach (var socket in listeners.Values)
            {
                socket.Dispose();
            }
        }
    }

    private static Socket RawEsp(NetworkNamespace ns, string from) => NamespaceSockets.CreateInside(ns, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Raw, (ProtocolType)50);
        socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        return socket;
    });

    private static string Receive(Socket socket)
    {
        var buffer = new byte[64];
        socket.ReceiveTimeout = (int)Wait.TotalMilliseconds;
        var n = socket.Receive(buffer);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
    }

    /// <summary>A TCP connect from inside <paramref name="ns"/>; true if it connected (it must not).</summary>
    private static Task<bool> TryConnect(NetworkNamespace ns, string from, int port)
    {
        var socket = NamespaceSockets.CreateInside(ns, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
            return s;
        });
        return Task.Run(async () =>
        {
            using (socket)
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse("10.77.0.1"), port), cancel.Token);
                    return true;
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    return false;
                }
            }
        });
    }

    private static void WaitForCounter(NetworkNamespace ns, string name, long atLeast)
    {
        var deadline = DateTime.UtcNow + Wait;
        long value;
        while ((value = Counter(ns, name)) < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"counter {name} is {value} after {Wait.TotalSeconds} s, expected at least {atLeast}");
            Thread.Sleep(50); // poll interval of the condition above, bounded by the deadline
        }
    }

    private static long Counter(NetworkNamespace ns, string name)
    {
        var text = ns.MustExec("nft", "list", "counter", "inet", "relay", name).StandardOutput;
        var match = PacketsRegex().Match(text);
        Assert.True(match.Success, text);
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"packets (\d+)")]
    private static partial Regex PacketsRegex();
}
