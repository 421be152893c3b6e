using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Relay.Control.L2tp;
using Relay.Control.Ppp;
using Relay.Control.Sessions;
using Relay.EndToEnd.Tests.Support;
using Relay.Testing;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.DataPlane;

/// <summary>
/// The AOT relayd's data plane between real sessions: our client stack (<see cref="LacController"/>)
/// brings sessions up in their own namespaces, then the test sends L2TP-wrapped IKE and ESP through
/// relayd (FIG. 3) and, with a TUN device, to a gateway namespace (FIG. 2). Judged by byte-exact
/// delivery, Wireshark's dissector on relayd's side, and relayd's <c>dataplane:</c> counter lines.
/// Needs root, tshark and artifacts/bin/relayd.
/// </summary>
public sealed partial class RelaydForwardingTests(ITestOutputHelper output)
{
    private const string Secret = "s3cret";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public void Sessions_exchange_ike_and_esp_through_relayd_while_refused_spoofed_and_stale_packets_are_dropped_and_counted()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var (nsA, nsB, nsC) = (topology.AddNamespace("a"), topology.AddNamespace("b"), topology.AddNamespace("c"));
        topology.Link(server, "eth0", "198.18.40.1/24", nsA, "eth0", "198.18.40.2/24");
        topology.Link(server, "eth1", "198.18.41.1/24", nsB, "eth0", "198.18.41.2/24");
        topology.Link(server, "eth2", "198.18.42.1/24", nsC, "eth0", "198.18.42.2/24");
        using var relayd = Relayd.Start(server, scratch, "0.0.0.0", Secret, 60, """{ "secretsFile": null }""",
            """[{ "name": "clients", "range": "10.202.0.0/24" }]""", """ "dataplane": { "workers": 2, "statsSeconds": 1 } """);
        // relayd sends with UDP GSO: without the feature on the veth the kernel segments before the
        // capture tap, so Wireshark sees the datagrams B receives rather than one super-packet per run.
        server.MustExec("ethtool", "-K", "eth1", "tx-udp-segmentation", "off");
        using var capture = PacketCapture.Start(server, "eth1", scratch["relayd-to-b.pcapng"], "udp port 1701");
        using var a = Driver(nsA, "198.18.40.2", "198.18.40.1");
        using var b = Driver(nsB, "198.18.41.2", "198.18.41.1");
        using var c = Driver(nsC, "198.18.42.2", "198.18.42.1");
        using var spoofer = NamespaceSockets.OpenUdp(nsA, new IPEndPoint(IPAddress.Parse("198.18.40.2"), 1799));
        string Context() => $"relayd:\n{relayd.Output}\nclient b:\n{b.Trace}";

        try
        {
            var readyA = BringUp(a);
            var readyB = BringUp(b);
            var readyC = BringUp(c);
            var (addrA, addrB, addrC) = (readyA.LocalAddress, readyB.LocalAddress, readyC.LocalAddress);
            var relaydA = new IPEndPoint(IPAddress.Parse("198.18.40.1"), 1701);
            var relaydB = new IPEndPoint(IPAddress.Parse("198.18.41.1"), 1701);
            var relaydC = new IPEndPoint(IPAddress.Parse("198.18.42.1"), 1701);
            byte[] FromA(byte[] ip) => InnerPackets.Wrap(readyA.PeerTunnelId, readyA.PeerSessionId, ip);

            // A → B: ESP (IP 50), IKE (UDP 500) and a fragmented ESP-in-UDP datagram (UDP 4500, RFC 3948), all allowed.
            var expected = new List<byte[]>();
            for (var i = 0; i < 20; i++)
            {
                expected.Add(InnerPackets.Ipv4(addrA, addrB, InnerPackets.Esp, InnerPackets.EspPayload(0x1000, (uint)i + 1, 100 + (i * 50), i), (ushort)(100 + i)));
            }
            for (var i = 0; i < 5; i++)
            {
                expected.Add(InnerPackets.Ipv4(addrA, addrB, InnerPackets.Udp, InnerPackets.UdpPayload(addrA, addrB, 500, 500, InnerPackets.IkeHeader(i)), (ushort)(200 + i)));
            }
            var natT = InnerPackets.Ipv4(addrA, addrB, InnerPackets.Udp,
                InnerPackets.UdpPayload(addrA, addrB, 4500, 4500, InnerPackets.EspPayload(0x2000, 1, 1800, 99)), 300);
            var (natT1, natT2) = InnerPackets.Fragment(natT, 1376);
            expected.Add(natT1);
            expected.Add(natT2);
            foreach (var packet in expected)
            {
                a.SendRaw(relaydA, FromA(packet));
            }
            // Refused: ICMP (policy), both fragments of a DNS datagram (the first by policy, the second for want of an allowed first).
            a.SendRaw(relaydA, FromA(InnerPackets.Ipv4(addrA, addrB, InnerPackets.Icmp, InnerPackets.IcmpEcho(), 400)));
            var dns = InnerPackets.Ipv4(addrA, addrB, InnerPackets.Udp, InnerPackets.UdpPayload(addrA, addrB, 5353, 53, new byte[600]), 401);
            var (dns1, dns2) = InnerPackets.Fragment(dns, 304);
            a.SendRaw(relaydA, FromA(dns1));
            a.SendRaw(relaydA, FromA(dns2));
            // Spoofed: A's session ids from another port of A's address.
            spoofer.SendTo(FromA(expected[0]), relaydA);

            b.RunUntil(() => b.NetworkData.Count >= expected.Count, Timeout, $"{expected.Count} packets from A");
            for (var i = 0; i < expected.Count; i++)
            {
                var inner = InnerPackets.Unwrap(b.NetworkData[i], out var header);
                Assert.True(header.TunnelId == readyB.Key.TunnelId && header.SessionId == readyB.Key.SessionId, $"packet {i}: ids {header.TunnelId}/{header.SessionId}");
                Assert.True(InnerPackets.Forwarded(expected[i]).AsSpan().SequenceEqual(inner), $"packet {i} differs\n{Context()}");
            }

            // B → A: the way back.
            var back = Enumerable.Range(0, 10)
                .Select(i => InnerPackets.Ipv4(addrB, addrA, InnerPackets.Esp, InnerPackets.EspPayload(0x3000, (uint)i + 1, 1300, i), (ushort)(500 + i)))
                .ToList();
            foreach (var packet in back)
            {
                b.SendRaw(relaydB, InnerPackets.Wrap(readyB.PeerTunnelId, readyB.PeerSessionId, packet));
            }
            a.RunUntil(() => a.NetworkData.Count >= back.Count, Timeout, "10 packets from B");
            Assert.Equal(back.Select(InnerPackets.Forwarded), a.NetworkData.Select(d => InnerPackets.Unwrap(d, out _)));

            // Mid-stream teardown: A and C stream to B; A hangs up; C keeps flowing, A's late packets find no session.
            byte[] FromC(int i) => InnerPackets.Wrap(readyC.PeerTunnelId, readyC.PeerSessionId,
                InnerPackets.Ipv4(addrC, addrB, InnerPackets.Esp, InnerPackets.EspPayload(0x4000, (uint)i + 1, 600, i), (ushort)(600 + i)));
            b.NetworkData.Clear();
            for (var i = 0; i < 10; i++)
            {
                a.SendRaw(relaydA, FromA(InnerPackets.Ipv4(addrA, addrB, InnerPackets.Esp, InnerPackets.EspPayload(0x1000, (uint)i + 21, 600, i), (ushort)(700 + i))));
                c.SendRaw(relaydC, FromC(i));
            }
            a.Do((ctl, now) => ctl.HangUp(readyA.Key.TunnelId, "test: mid-stream teardown", now));
            a.RunUntil(() => a.Controller.L2tp.AllStopsAcknowledged, Timeout, "acknowledgement of A's StopCCN");
            relayd.WaitForLine(l => l.Contains($"ppp: session {readyA.PeerTunnelId}/{readyA.PeerSessionId} ended", StringComparison.Ordinal));
            for (var i = 0; i < 5; i++)
            {
                a.SendRaw(relaydA, FromA(InnerPackets.Ipv4(addrA, addrB, InnerPackets.Esp, InnerPackets.EspPayload(0x1000, (uint)i + 31, 600, i), (ushort)(800 + i))));
            }
            for (var i = 10; i < 20; i++)
            {
                c.SendRaw(relaydC, FromC(i));
            }
            b.RunUntil(() => b.NetworkData.Count(d => FromSpi(d) == 0x4000) >= 20, Timeout, "20 packets from C");
            var fromA = b.NetworkData.Count(d => FromSpi(d) == 0x1000);
            Assert.Equal(10, fromA);

            var line = relayd.WaitForLine(l => l.Contains("dataplane: rx=", StringComparison.Ordinal) && Count(l, "unknown_session") >= 5);
            output.WriteLine(line);
            Assert.Equal(2, Count(line, "policy_denied"));
            Assert.Equal(1, Count(line, "fragment_denied"));
            Assert.Equal(1, Count(line, "spoofed"));
            Assert.Equal(expected.Count + back.Count + 30, Count(line, "to-session"));
            relayd.WaitForLine(l => l.Contains($"dataplane: session {readyA.PeerTunnelId}/{readyA.PeerSessionId} counters: rx=", StringComparison.Ordinal));

            b.Do((ctl, now) => ctl.HangUp(readyB.Key.TunnelId, "test done", now));
            c.Do((ctl, now) => ctl.HangUp(readyC.Key.TunnelId, "test done", now));
            relayd.Stop();
            var path = capture.Stop();
            CheckCapture(path, expected.Count);
        }
        finally
        {
            output.WriteLine(Context());
        }
    }

    [Fact]
    public void A_gateway_reachable_only_through_relayds_tun_exchanges_esp_with_a_client_session()
    {
        using var scratch = new ScratchDirectory();
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var client = topology.AddNamespace("a");
        var gateway = topology.AddNamespace("g");
        topology.Link(server, "eth0", "198.18.50.1/24", client, "eth0", "198.18.50.2/24");
        topology.Link(server, "eth1", "198.18.51.1/24", gateway, "eth0", "198.18.51.2/24");
        server.EnableForwarding();
        // The gateway knows the clients' public pool only through relayd's host.
        gateway.MustExec("ip", "route", "add", "100.64.50.0/24", "via", "198.18.51.1");
        using var relayd = Relayd.Start(server, scratch, "0.0.0.0", Secret, 60, """{ "secretsFile": null }""",
            """[{ "name": "dmz", "range": "100.64.50.0/24", "realm": "public" }]""",
            """ "dataplane": { "workers": 2, "statsSeconds": 1, "tun": { "name": "relay0" } } """);
        using var a = Driver(client, "198.18.50.2", "198.18.50.1");
        using var esp = NamespaceSockets.CreateInside(gateway, RawEspSocket);
        esp.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        var gatewayAddress = IPAddress.Parse("198.18.51.2");
        string Context() => $"relayd:\n{relayd.Output}\nclient:\n{a.Trace}";

        try
        {
            var ready = BringUp(a);
            var routes = server.MustExec("ip", "route", "show", "dev", "relay0").StandardOutput;
            Assert.Contains("100.64.50.0/24", routes, StringComparison.Ordinal);
            var relaydEndpoint = new IPEndPoint(IPAddress.Parse("198.18.50.1"), 1701);

            // Client → gateway: relayd writes the inner packets to relay0, the kernel routes them on.
            var sent = Enumerable.Range(0, 10)
                .Select(i => InnerPackets.Ipv4(ready.LocalAddress, gatewayAddress, InnerPackets.Esp, InnerPackets.EspPayload(0x5000, (uint)i + 1, 200 + (i * 100), i), (ushort)(900 + i)))
                .ToList();
            foreach (var packet in sent)
            {
                a.SendRaw(relaydEndpoint, InnerPackets.Wrap(ready.PeerTunnelId, ready.PeerSessionId, packet));
            }
            var buffer = new byte[4096];
            foreach (var packet in sent)
            {
                var n = esp.Receive(buffer);
                Assert.Equal(packet.Length, n);
                Assert.True(buffer.AsSpan(20, n - 20).SequenceEqual(packet.AsSpan(20)), "ESP changed on the way to the gateway");
                Assert.True(buffer.AsSpan(12, 4).SequenceEqual(ready.LocalAddress.GetAddressBytes()), "source is not the client's leased address");
            }

            // Gateway → client: the kernel routes the pool into relay0; relayd wraps each packet for the session.
            var replies = Enumerable.Range(0, 10).Select(i => InnerPackets.EspPayload(0x6000, (uint)i + 1, 300 + (i * 90), i)).ToList();
            foreach (var reply in replies)
            {
                esp.SendTo(reply, new IPEndPoint(ready.LocalAddress, 0));
            }
            a.RunUntil(() => a.NetworkData.Count >= replies.Count, Timeout, "10 ESP packets from the gateway");
            for (var i = 0; i < replies.Count; i++)
            {
                var inner = InnerPackets.Unwrap(a.NetworkData[i], out var header);
                Assert.Equal(ready.Key.SessionId, header.SessionId);
                Assert.True(inner.AsSpan(20).SequenceEqual(replies[i]), $"reply {i} differs");
                Assert.True(inner.AsSpan(12, 4).SequenceEqual(gatewayAddress.GetAddressBytes()));
            }
            var line = relayd.WaitForLine(l => l.Contains("dataplane: rx=", StringComparison.Ordinal) && Count(l, "from-kernel") >= 10);
            output.WriteLine(line);
            Assert.Equal(10, Count(line, "to-kernel"));
            Assert.Equal(10, Count(line, "to-session"));
            // relayd turns IPv6 off on relay0, so the kernel writes nothing of its own into it.
            Assert.Equal(10, Count(line, "from-kernel"));
            Assert.Equal(0, Count(line, "dropped"));
            a.Do((ctl, now) => ctl.HangUp(ready.Key.TunnelId, "test done", now));
            relayd.Stop();
        }
        finally
        {
            output.WriteLine(Context());
        }
    }

    /// <summary>Every packet on B's side dissects cleanly (no malformed, no expert warning); the ESP and IKE are seen as such.</summary>
    private void CheckCapture(string path, int minimumForwarded)
    {
        var rows = TShark.Dissect(path, "l2tp.tunnel", "l2tp.session", "ip.proto", "esp.spi", "isakmp.ispi", "udp.dstport");
        output.WriteLine(string.Join('\n', rows.Select(r => $"{r["frame.number"]} {r["ip.proto"]} {r["udp.dstport"]} {r["esp.spi"]} {r["isakmp.ispi"]} [{r["_ws.col.info"]}]")));
        var esp = rows.Count(r => r["esp.spi"].Length > 0);
        var ike = rows.Count(r => r["isakmp.ispi"].Length > 0);
        output.WriteLine($"capture: {rows.Count} packets, {esp} ESP, {ike} IKE");
        Assert.True(esp >= 20 + 30, $"{esp} ESP packets dissected");
        Assert.True(ike >= 5, $"{ike} IKE packets dissected");
        Assert.True(rows.Count >= minimumForwarded);
    }

    private static uint FromSpi(byte[] datagram)
    {
        var inner = InnerPackets.Unwrap(datagram, out _);
        return inner.Length >= 24 && inner[9] == InnerPackets.Esp ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(inner.AsSpan(20)) : 0;
    }

    /// <summary>The number after " NAME=" in a dataplane line, 0 when absent (drop reasons are listed only when non-zero).</summary>
    private static long Count(string line, string name)
    {
        var match = Regex.Match(line, $@"[ :]{Regex.Escape(name)}=(\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>A raw IPv4 socket for protocol 50 (.NET refuses protocol numbers it does not name, the kernel does not).</summary>
    private static Socket RawEspSocket()
    {
        var fd = socket(2 /* AF_INET */, 3 /* SOCK_RAW */, InnerPackets.Esp);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    private static SessionReady BringUp(ControllerDriver driver)
    {
        driver.Do((c, now) => c.Dial(now));
        return driver.WaitFor<SessionReady>(Timeout);
    }

    private static ControllerDriver Driver(NetworkNamespace ns, string address, string lns)
    {
        var controller = new LacController(new LacOptions
        {
            Lns = new IPEndPoint(IPAddress.Parse(lns), 1701),
            L2tp = new L2tpOptions { Role = L2tpRole.Lac, HostName = $"client-{address}", SecretFor = _ => System.Text.Encoding.UTF8.GetBytes(Secret) },
            Ppp = new PppOptions { Role = PppRole.Peer, Name = "anyone" },
        });
        return new ControllerDriver(controller, NamespaceSockets.OpenUdp(ns, new IPEndPoint(IPAddress.Parse(address), 1701)));
    }
}
