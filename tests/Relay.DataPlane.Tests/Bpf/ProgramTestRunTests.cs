using System.Buffers.Binary;
using Relay.DataPlane.Bpf;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.DataPlane.Tests.Forwarding;
using Relay.Wire.Ip;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.DataPlane.Tests.Bpf;

/// <summary>
/// The kernel programs under BPF_PROG_TEST_RUN: every rewrite shape gives the bytes the user-space
/// Forwarder gives (plus correct outer headers), every drop the user-space drop reason, every
/// shape the kernel leaves alone comes out untouched with its pass reason counted.
/// </summary>
public sealed class ProgramTestRunTests(FastPathFixture fixture) : IClassFixture<FastPathFixture>
{
    public static TheoryData<FastPathMode, string> ForwardShapes()
    {
        var data = new TheoryData<FastPathMode, string>();
        foreach (var mode in new[] { FastPathMode.Xdp, FastPathMode.Tc })
        {
            foreach (var shape in new[] { "esp", "esp-no-udp-checksum", "esp-length-bit", "esp-priority-bit", "ike-500", "esp-in-udp-4500",
                "ike-4500-non-esp-marker", "nat-keepalive", "esp-1400", "ttl-2" })
            {
                data.Add(mode, shape);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ForwardShapes))]
    public void Forwards_a_ready_pair_as_the_user_space_forwarder_rewrites_it(FastPathMode mode, string shape)
    {
        var (inner, flags, checksum) = shape switch
        {
            "esp" => (Packets.Esp(24), L2tpHeaderFlags.None, true),
            "esp-no-udp-checksum" => (Packets.Esp(24), L2tpHeaderFlags.None, false),
            "esp-length-bit" => (Packets.Esp(24), L2tpHeaderFlags.Length, true),
            "esp-priority-bit" => (Packets.Esp(24), L2tpHeaderFlags.Priority | L2tpHeaderFlags.Length, true),
            "ike-500" => (Packets.Udp(500, 500, new byte[60]), L2tpHeaderFlags.None, true),
            "esp-in-udp-4500" => (Packets.Udp(4500, 4500, Spi(40)), L2tpHeaderFlags.None, true),
            "ike-4500-non-esp-marker" => (Packets.Udp(4500, 4500, new byte[4 + 28]), L2tpHeaderFlags.None, true),
            "nat-keepalive" => (Packets.Udp(4500, 4500, [0xFF]), L2tpHeaderFlags.None, true),
            "esp-1400" => (Packets.Esp(1400 - 20 - 8 - 6 - 4 - 20 - 8), L2tpHeaderFlags.None, true),
            "ttl-2" => (Packets.Esp(16, ttl: 2), L2tpHeaderFlags.None, true),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
        var message = Message(inner, Packets.KeyA, flags);
        var expected = UserSpace(message, Packets.PeerA, out var userVerdict, out _);
        Assert.Equal(ForwardVerdict.ToSession, userVerdict);
        var fastPath = fixture.For(mode);
        var before = fastPath.ReadCounters();
        var trafficA = fastPath.ReadTraffic(Packets.KeyA);
        var trafficB = fastPath.ReadTraffic(Packets.KeyB);
        var frame = Frames.Udp(message, Packets.PeerA, checksum);

        var (verdict, output) = ProgramRun.Run(fastPath, frame);

        Assert.Equal(ProgramRun.Verdicts(mode).Forward, verdict);
        Assert.Equal(frame.Length, output.Length);
        Assert.Equal(Frames.RouterMac, output[..6]);
        Assert.Equal(Frames.RelayMac, output[6..12]);
        Assert.Equal(Ipv4Status.Ok, Ipv4Header.Parse(output.AsSpan(Frames.EthernetLength), out var ip)); // verifies the header checksum
        Assert.Equal(Frames.Relay, ip.Source);
        Assert.Equal(Packets.PeerB.IPv4, ip.Destination);
        Assert.Equal(64, ip.Ttl);
        Assert.Equal(Ipv4Header.ProtocolUdp, ip.Protocol);
        Assert.Equal(UdpStatus.Ok, UdpHeader.Parse(ip.Payload, out var udp));
        Assert.Equal(1701, udp.SourcePort);
        Assert.Equal(Packets.PeerB.Port, udp.DestinationPort);
        Assert.Equal(checksum, udp.HasChecksum);
        Assert.Equal(UdpStatus.Ok, udp.VerifyChecksum(ip.Source, ip.Destination));
        Assert.Equal(expected, udp.Payload.ToArray());
        var after = fastPath.ReadCounters();
        Assert.Equal(1, after.Transmitted - before.Transmitted);
        Assert.Equal(before.Passed, after.Passed);
        Assert.Equal(before.Dropped, after.Dropped);
        Assert.Equal(trafficA.ReceivedPackets + 1, fastPath.ReadTraffic(Packets.KeyA).ReceivedPackets);
        Assert.Equal(trafficA.ReceivedBytes + message.Length, fastPath.ReadTraffic(Packets.KeyA).ReceivedBytes);
        Assert.Equal(trafficB.SentPackets + 1, fastPath.ReadTraffic(Packets.KeyB).SentPackets);
        Assert.Equal(trafficB.SentBytes + message.Length, fastPath.ReadTraffic(Packets.KeyB).SentBytes);
    }

    public static TheoryData<FastPathMode, string> PassShapes()
    {
        var data = new TheoryData<FastPathMode, string>();
        foreach (var mode in new[] { FastPathMode.Xdp, FastPathMode.Tc })
        {
            foreach (var shape in new[] { "control", "sequenced", "offset", "unknown-session", "not-ready-session", "lcp", "no-address-control",
                "compressed-protocol", "ipv6", "inner-fragment", "inner-options", "outside-pool", "target-sequenced", "trailing-octets",
                "outer-fragment", "outer-to-other-address", "other-port", "arp" })
            {
                data.Add(mode, shape);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PassShapes))]
    public void Leaves_what_it_does_not_handle_untouched_for_user_space(FastPathMode mode, string shape)
    {
        var esp = Packets.Esp(24);
        byte[] frame;
        FastPathPass reason;
        switch (shape)
        {
            case "control":
                frame = Frames.Udp(Message(esp, Packets.KeyA, L2tpHeaderFlags.ControlMessage), Packets.PeerA);
                reason = FastPathPass.Control;
                break;
            case "sequenced":
                frame = Frames.Udp(Message(esp, Packets.KeyA, L2tpHeaderFlags.Sequence), Packets.PeerA);
                reason = FastPathPass.Sequenced;
                break;
            case "offset":
                frame = Frames.Udp(Message(esp, Packets.KeyA, L2tpHeaderFlags.Offset, offsetSize: 2), Packets.PeerA);
                reason = FastPathPass.L2tpShape;
                break;
            case "unknown-session":
                frame = Frames.Udp(Message(esp, new(101, 999)), Packets.PeerA);
                reason = FastPathPass.UnknownSession;
                break;
            case "not-ready-session":
                frame = Frames.Udp(Message(esp, FastPathFixture.KeyD), UdpPeer.FromIPv4(0xCB_00_71_04, 1701));
                reason = FastPathPass.UnknownSession;
                break;
            case "lcp":
                frame = Frames.Udp(Message([1, 1, 0, 4], Packets.KeyA, protocol: PppProtocol.Lcp), Packets.PeerA);
                reason = FastPathPass.Ppp;
                break;
            case "no-address-control":
                frame = Frames.Udp(Message(esp, Packets.KeyA, addressControl: false), Packets.PeerA);
                reason = FastPathPass.Ppp;
                break;
            case "compressed-protocol":
                frame = Frames.Udp(Message(esp, Packets.KeyA, compressProtocol: true), Packets.PeerA);
                reason = FastPathPass.Ppp;
                break;
            case "ipv6":
                frame = Frames.Udp(Message(new byte[40], Packets.KeyA, protocol: PppProtocol.Ipv6), Packets.PeerA);
                reason = FastPathPass.Ppp;
                break;
            case "inner-fragment":
                frame = Frames.Udp(Message(Packets.Ipv4(Ipv4Header.ProtocolEsp, new byte[24], fragmentWord: 0x2000), Packets.KeyA), Packets.PeerA);
                reason = FastPathPass.InnerShape;
                break;
            case "inner-options":
                frame = Frames.Udp(Message(WithOptions(esp), Packets.KeyA), Packets.PeerA);
                reason = FastPathPass.InnerShape;
                break;
            case "outside-pool":
                frame = Frames.Udp(Message(Packets.Esp(24, destination: Packets.Outside), Packets.KeyA), Packets.PeerA);
                reason = FastPathPass.NoRoute;
                break;
            case "target-sequenced":
                frame = Frames.Udp(Message(Packets.Esp(24, destination: FastPathFixture.AddressC), Packets.KeyA), Packets.PeerA);
                reason = FastPathPass.TargetSequenced;
                break;
            case "trailing-octets":
                frame = Frames.Udp(Message(esp, Packets.KeyA, trailer: 3), Packets.PeerA);
                reason = FastPathPass.L2tpShape;
                break;
            case "outer-fragment":
                frame = Frames.Udp(Message(esp, Packets.KeyA), Packets.PeerA, fragmentWord: 0x2000);
                reason = FastPathPass.OuterShape;
                break;
            case "outer-to-other-address":
                frame = Frames.Udp(Message(esp, Packets.KeyA), Packets.PeerA, destination: Frames.Relay + 1);
                reason = FastPathPass.OuterShape;
                break;
            case "other-port":
                frame = Frames.Udp(Message(esp, Packets.KeyA), Packets.PeerA, destinationPort: 1702);
                reason = FastPathPass.NotL2tp;
                break;
            case "arp":
                frame = Frames.Udp(Message(esp, Packets.KeyA), Packets.PeerA);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0806);
                reason = FastPathPass.NotL2tp;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape));
        }
        var fastPath = fixture.For(mode);
        var before = fastPath.ReadCounters();

        var (verdict, output) = ProgramRun.Run(fastPath, frame);

        Assert.Equal(ProgramRun.Verdicts(mode).Pass, verdict);
        Assert.Equal(frame, output);
        var after = fastPath.ReadCounters();
        Assert.Equal(1, after.Pass(reason) - before.Pass(reason));
        Assert.Equal(1, after.Passed - before.Passed);
        Assert.Equal(before.Forwarded, after.Forwarded);
    }

    public static TheoryData<FastPathMode, string> DropShapes()
    {
        var data = new TheoryData<FastPathMode, string>();
        foreach (var mode in new[] { FastPathMode.Xdp, FastPathMode.Tc })
        {
            foreach (var shape in new[] { "spoofed-address", "spoofed-port", "inner-source-spoofed", "policy-tcp", "policy-udp-other-port",
                "policy-4500-malformed", "policy-icmp", "ttl-1", "inner-bad-checksum", "inner-bad-version", "inner-length-beyond-frame" })
            {
                data.Add(mode, shape);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DropShapes))]
    public void Drops_spoofed_and_denied_packets_with_the_user_space_reason(FastPathMode mode, string shape)
    {
        var source = Packets.PeerA;
        byte[] inner;
        switch (shape)
        {
            case "spoofed-address":
                inner = Packets.Esp(24);
                source = UdpPeer.FromIPv4(0xCB_00_71_09, Packets.PeerA.Port);
                break;
            case "spoofed-port":
                inner = Packets.Esp(24);
                source = UdpPeer.FromIPv4(Packets.PeerA.IPv4, 40002);
                break;
            case "inner-source-spoofed":
                inner = Packets.Esp(24, source: 0x0A_00_00_63);
                break;
            case "policy-tcp":
                inner = Packets.Ipv4(PolicyRule.Tcp, new byte[20]);
                break;
            case "policy-udp-other-port":
                inner = Packets.Udp(53, 53, new byte[12]);
                break;
            case "policy-4500-malformed":
                inner = Packets.Udp(4500, 4500, [1, 2]);
                break;
            case "policy-icmp":
                inner = Packets.Ipv4(1, new byte[8]);
                break;
            case "ttl-1":
                inner = Packets.Esp(24, ttl: 1);
                break;
            case "inner-bad-checksum":
                inner = Packets.Esp(24);
                inner[10] ^= 0x40;
                break;
            case "inner-bad-version":
                inner = Packets.Esp(24);
                inner[0] = 0x65;
                break;
            case "inner-length-beyond-frame":
                inner = Packets.Esp(24);
                BinaryPrimitives.WriteUInt16BigEndian(inner.AsSpan(2), (ushort)(inner.Length + 4));
                BinaryPrimitives.WriteUInt16BigEndian(inner.AsSpan(10), 0);
                BinaryPrimitives.WriteUInt16BigEndian(inner.AsSpan(10), InternetChecksum.Compute(inner.AsSpan(0, 20)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape));
        }
        var message = Message(inner, Packets.KeyA);
        UserSpace(message, source, out var userVerdict, out var userReason);
        Assert.Equal(ForwardVerdict.Drop, userVerdict);
        var fastPath = fixture.For(mode);
        var before = fastPath.ReadCounters();
        var traffic = fastPath.ReadTraffic(Packets.KeyA);
        var frame = Frames.Udp(message, source);

        var (verdict, _) = ProgramRun.Run(fastPath, frame);

        Assert.Equal(ProgramRun.Verdicts(mode).Drop, verdict);
        var after = fastPath.ReadCounters();
        Assert.Equal(1, after.Drop(userReason) - before.Drop(userReason));
        Assert.Equal(1, after.Dropped - before.Dropped);
        Assert.Equal(before.Forwarded, after.Forwarded);
        // As in user space, a spoofed packet is not the session's; others count as received and dropped.
        var counted = userReason == DropReason.Spoofed ? 0 : 1;
        Assert.Equal(traffic.Drops + counted, fastPath.ReadTraffic(Packets.KeyA).Drops);
        Assert.Equal(traffic.ReceivedPackets + counted, fastPath.ReadTraffic(Packets.KeyA).ReceivedPackets);
    }

    [Theory]
    [InlineData(FastPathMode.Xdp)]
    [InlineData(FastPathMode.Tc)]
    public void A_spoofed_source_is_dropped_before_anything_else_is_read(FastPathMode mode)
    {
        // An LCP frame from a forged address on a known session: dropped in the kernel (user space agrees), not passed up.
        var message = Message([1, 1, 0, 4], Packets.KeyA, protocol: PppProtocol.Lcp);
        var forged = UdpPeer.FromIPv4(0xCB_00_71_09, 40001);
        UserSpace(message, forged, out var userVerdict, out var reason);
        Assert.Equal((ForwardVerdict.Drop, DropReason.Spoofed), (userVerdict, reason));

        var (verdict, _) = ProgramRun.Run(fixture.For(mode), Frames.Udp(message, forged));

        Assert.Equal(ProgramRun.Verdicts(mode).Drop, verdict);
    }

    [Fact]
    public void Tc_leaves_a_gro_train_to_the_workers_even_when_its_first_datagram_would_be_forwarded()
    {
        // The same frame forwards when alone; merged by GRO with others, only its first header is in front.
        var fastPath = fixture.For(FastPathMode.Tc);
        var frame = Frames.Udp(Message(Packets.Esp(24), Packets.KeyA), Packets.PeerA);
        Assert.Equal(ProgramRun.TcRedirect, ProgramRun.Run(fastPath, frame).Verdict);
        var before = fastPath.ReadCounters();

        var (verdict, output) = ProgramRun.Run(fastPath, frame, gsoSegments: 2);

        Assert.Equal(ProgramRun.TcOk, verdict);
        Assert.Equal(frame, output);
        var after = fastPath.ReadCounters();
        Assert.Equal(1, after.Pass(FastPathPass.Coalesced) - before.Pass(FastPathPass.Coalesced));
        Assert.Equal(before.Forwarded, after.Forwarded);
    }

    private static byte[] Message(byte[] information, Relay.Control.Addressing.SessionKey key, L2tpHeaderFlags flags = L2tpHeaderFlags.None,
        ushort offsetSize = 0, ushort protocol = PppProtocol.Ipv4, bool addressControl = true, bool compressProtocol = false, int trailer = 0)
        => Packets.L2tp(information, key, flags, offsetSize, protocol: protocol, addressControl: addressControl, compressProtocol: compressProtocol,
            trailer: trailer, headroom: 0);

    /// <summary>What the user-space forwarder makes of the same message: the L2TP message it would send, or its drop reason.</summary>
    private byte[] UserSpace(byte[] message, UdpPeer source, out ForwardVerdict verdict, out DropReason reason)
    {
        var buffer = new byte[Packets.Headroom + message.Length];
        message.CopyTo(buffer, Packets.Headroom);
        verdict = Packets.FromPeer(buffer, source, fixture.Table, Packets.Worker(), out var result);
        reason = result.Reason;
        return verdict == ForwardVerdict.ToSession ? buffer.AsSpan(result.Start, result.Length).ToArray() : [];
    }

    private static byte[] Spi(int length)
    {
        var payload = new byte[length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, 0xC0FFEE01);
        return payload;
    }

    /// <summary>The same ESP packet with a 4-octet options field (NOP, NOP, NOP, EOL).</summary>
    private static byte[] WithOptions(byte[] packet)
    {
        var result = new byte[packet.Length + 4];
        packet.AsSpan(0, 20).CopyTo(result);
        result[0] = 0x46;
        result[20] = 1; result[21] = 1; result[22] = 1; result[23] = 0;
        packet.AsSpan(20).CopyTo(result.AsSpan(24));
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2), (ushort)result.Length);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(10), InternetChecksum.Compute(result.AsSpan(0, 24)));
        return result;
    }
}
