using System.Net;
using System.Net.Sockets;
using Relay.DataPlane.Tun;
using Relay.Topology;
using Relay.Wire.Ip;

namespace Relay.DataPlane.Tests.Tun;

/// <summary>A real multi-queue TUN in a throw-away namespace: configuration visible to `ip`, packets both ways byte-exact.</summary>
public sealed class TunDeviceTests
{
    private const string Device = "rlytun0";
    private static readonly IPAddress Local = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Remote = IPAddress.Parse("10.78.0.5");

    [Fact]
    public void Configured_multi_queue_device_shows_address_mtu_and_route()
    {
        using var topology = new Relay.Topology.Topology("tun");
        var ns = topology.AddNamespace("a");
        using var tun = NamespaceSockets.CreateInside(ns, () => OpenConfigured(queues: 2));

        Assert.Equal(Device, tun.Name);
        Assert.Equal(2, tun.QueueCount);
        var link = ns.MustExec("ip", "-d", "link", "show", Device).StandardOutput;
        Assert.Contains("mtu 1400", link, StringComparison.Ordinal);
        Assert.Contains("multi_queue", link, StringComparison.Ordinal);
        Assert.Contains("UP", link, StringComparison.Ordinal);
        Assert.Contains("inet 10.77.0.1/32", ns.MustExec("ip", "-4", "addr", "show", Device).StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"10.78.0.0/24 dev {Device}", ns.MustExec("ip", "route").StandardOutput, StringComparison.Ordinal);

        NamespaceSockets.CreateInside(ns, () =>
        {
            InterfaceSetup.DeleteRoute(Device, IPAddress.Parse("10.78.0.0"), 24);
            return 0;
        });
        Assert.DoesNotContain("10.78.0.0/24", ns.MustExec("ip", "route").StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Packets_routed_into_the_device_are_read_and_written_packets_are_delivered()
    {
        using var topology = new Relay.Topology.Topology("tun");
        var ns = topology.AddNamespace("a");
        using var tun = NamespaceSockets.CreateInside(ns, () => OpenConfigured(queues: 1));
        using var socket = NamespaceSockets.OpenUdp(ns, new IPEndPoint(Local, 4500));
        socket.ReceiveTimeout = 5000;
        var payload = "ESP-in-UDP stand-in \u0001\u0002\u00ff"u8.ToArray();

        socket.SendTo(payload, new IPEndPoint(Remote, 4500));
        var read = ReadIpv4(tun.Queue(0), Remote);
        Assert.Equal(Ipv4Status.Ok, Ipv4Header.Parse(read, out var ip));
        Assert.Equal(ToHost(Local), ip.Source);
        Assert.Equal(17, ip.Protocol);
        Assert.Equal(payload, ip.Payload[UdpHeader.HeaderLength..].ToArray());

        var reply = new byte[Ipv4Header.MinimumLength + UdpHeader.HeaderLength + payload.Length];
        payload.CopyTo(reply, Ipv4Header.MinimumLength + UdpHeader.HeaderLength);
        Assert.True(UdpHeader.Write(reply.AsSpan(Ipv4Header.MinimumLength), 4500, 4500, ToHost(Remote), ToHost(Local)));
        Assert.True(Ipv4Header.Write(reply, 17, ToHost(Remote), ToHost(Local), (ushort)reply.Length));
        Assert.Equal(reply.Length, tun.Queue(0).Write(reply));

        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var n = socket.ReceiveFrom(buffer, ref from);
        Assert.Equal(payload, buffer[..n]);
        Assert.Equal(new IPEndPoint(Remote, 4500), from);
    }

    [Fact]
    public void Writing_garbage_returns_an_errno_instead_of_throwing()
    {
        using var topology = new Relay.Topology.Topology("tun");
        var ns = topology.AddNamespace("a");
        using var tun = NamespaceSockets.CreateInside(ns, () => OpenConfigured(queues: 1));
        Assert.True(tun.Queue(0).Write(new byte[] { 0x00, 0x01, 0x02 }) < 0);
        var n = tun.Queue(0).Read(new byte[2048]);
        Assert.True(n >= 0, $"a read with nothing or something waiting is not an error (got errno {-n})");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a-name-that-is-far-too-long")]
    [InlineData("bad/name")]
    public void Bad_names_are_refused_with_the_name(string name)
    {
        var e = Assert.Throws<TunException>(() => TunDevice.Open(name));
        Assert.Contains($"\"{name}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Operations_on_a_missing_interface_name_the_interface_and_the_errno()
    {
        using var topology = new Relay.Topology.Topology("tun");
        var ns = topology.AddNamespace("a");
        var e = Assert.Throws<InvalidOperationException>(() => NamespaceSockets.CreateInside<int>(ns, () =>
        {
            InterfaceSetup.AddRoute("rlynothere0", IPAddress.Parse("10.1.0.0"), 16);
            return 0;
        }));
        var inner = Assert.IsType<TunException>(e.InnerException);
        Assert.Contains("interface rlynothere0: add route 10.1.0.0/16 failed", inner.Message, StringComparison.Ordinal);
        Assert.Contains("errno", inner.Message, StringComparison.Ordinal);
    }

    private static TunDevice OpenConfigured(int queues)
    {
        var tun = TunDevice.Open(Device, queues);
        try
        {
            InterfaceSetup.SetAddress(Device, Local, 32);
            InterfaceSetup.SetMtu(Device, 1400);
            InterfaceSetup.SetUp(Device);
            InterfaceSetup.AddRoute(Device, IPAddress.Parse("10.78.0.0"), 24);
            return tun;
        }
        catch
        {
            tun.Dispose();
            throw;
        }
    }

    /// <summary>The first IPv4 packet for <paramref name="destination"/> (the kernel may also send IPv6 router solicitations).</summary>
    private static byte[] ReadIpv4(TunQueue queue, IPAddress destination)
    {
        var buffer = new byte[2048];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (!queue.WaitReadable(500))
            {
                continue;
            }
            var n = queue.Read(buffer);
            Assert.True(n >= 0, $"read from the TUN queue failed: errno {-n}");
            if (n > 0 && Ipv4Header.Parse(buffer.AsSpan(0, n), out var ip) == Ipv4Status.Ok && ip.Destination == ToHost(destination))
            {
                return buffer[..n];
            }
        }
        throw new TimeoutException($"no IPv4 packet for {destination} came out of the TUN device in 5 s");
    }

    private static uint ToHost(IPAddress address) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
}
