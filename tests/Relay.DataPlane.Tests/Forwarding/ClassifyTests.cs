using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.DataPlane.Tests.Forwarding;

/// <summary>Which session a datagram belongs to, whether it may pass, and where it goes.</summary>
public class ClassifyTests
{
    private static ForwardResult Run(byte[] buffer, ForwardingTable table, UdpPeer? source = null, ForwardingWorkerState? worker = null)
    {
        Packets.FromPeer(buffer, source ?? Packets.PeerA, table, worker ?? Packets.Worker(), out var result);
        return result;
    }

    [Fact]
    public void A_data_message_from_an_address_that_is_not_the_tunnel_peer_is_dropped_as_spoofed()
    {
        var table = Packets.Hub();
        var worker = Packets.Worker();
        var other = UdpPeer.FromIPv4(Packets.PeerA.IPv4, (ushort)(Packets.PeerA.Port + 1));

        var result = Run(Packets.L2tp(Packets.Esp(16), Packets.KeyA), table, other, worker);

        Assert.Equal(DropReason.Spoofed, result.Reason);
        Assert.Equal(1, worker.Drops.Read(DropReason.Spoofed));
        Assert.Equal(0, table.Current.Find(Packets.KeyA.TunnelId, Packets.KeyA.SessionId)!.Traffic.ReceivedPackets);
    }

    [Fact]
    public void Unknown_ids_are_dropped_and_control_messages_go_to_the_control_loop_without_a_lookup()
    {
        var table = Packets.Hub();
        Assert.Equal(DropReason.UnknownSession, Run(Packets.L2tp(Packets.Esp(16), new(101, 999)), table).Reason);

        var control = new byte[Packets.Headroom + 12];
        L2tpHeader.Control(77, 0, 0, 0).TryWrite(control.AsSpan(Packets.Headroom), 0, out _);
        var result = Run(control, table, Packets.PeerB);
        Assert.Equal(ForwardVerdict.ToControl, result.Verdict);
        Assert.Equal((Packets.Headroom, 12), (result.Start, result.Length));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Other_versions_are_not_L2TPv2(int version)
    {
        var buffer = Packets.L2tp(Packets.Esp(16), Packets.KeyA);
        buffer[Packets.Headroom + 1] = (byte)version;
        Assert.Equal(DropReason.NotL2tpV2, Run(buffer, Packets.Hub()).Reason);
    }

    [Fact]
    public void A_session_that_is_not_ready_passes_PPP_control_frames_to_the_control_loop_and_drops_IPv4()
    {
        var table = new ForwardingTable([Packets.Pool], workers: 1);
        table.Establish(Packets.KeyA, Packets.PeerA, 1, 2, dataSequencing: false);
        table.Publish();

        var lcp = Run(Packets.L2tp([1, 1, 0, 4], Packets.KeyA, protocol: PppProtocol.Lcp), table);
        var ip = Run(Packets.L2tp(Packets.Esp(16), Packets.KeyA), table);

        Assert.Equal(ForwardVerdict.ToControl, lcp.Verdict);
        Assert.Same(table.Current.Find(Packets.KeyA.TunnelId, Packets.KeyA.SessionId), lcp.Source);
        Assert.Equal(DropReason.SessionNotReady, ip.Reason);
    }

    [Fact]
    public void Non_IPv4_network_protocols_and_broken_frames_are_dropped_with_their_reason()
    {
        var table = Packets.Hub();
        Assert.Equal(DropReason.NotIpv4, Run(Packets.L2tp([0x60, 0, 0, 0], Packets.KeyA, protocol: PppProtocol.Ipv6), table).Reason);
        Assert.Equal(DropReason.NotIpv4, Run(Packets.L2tp([0, 0], Packets.KeyA, protocol: PppProtocol.CompressedDatagram), table).Reason);
        var badControl = Packets.L2tp(Packets.Esp(16), Packets.KeyA);
        badControl[Packets.Headroom + 6 + 1] = 0x04; // FF 04: not UI
        Assert.Equal(DropReason.Malformed, Run(badControl, table).Reason);
        var badChecksum = Packets.Esp(16);
        badChecksum[10] ^= 0xFF;
        Assert.Equal(DropReason.BadInnerHeader, Run(Packets.L2tp(badChecksum, Packets.KeyA), table).Reason);
        var truncated = Packets.L2tp(Packets.Esp(16), Packets.KeyA);
        Assert.Equal(DropReason.BadInnerHeader, Run(truncated[..^4], table).Reason);
    }

    [Fact]
    public void An_inner_source_other_than_the_leased_address_is_dropped()
    {
        var result = Run(Packets.L2tp(Packets.Esp(16, source: Packets.AddressB, destination: Packets.AddressA), Packets.KeyA), Packets.Hub());
        Assert.Equal(DropReason.InnerSourceSpoofed, result.Reason);
    }

    [Fact]
    public void Destinations_route_to_a_ready_session_to_the_kernel_or_nowhere()
    {
        var hub = Packets.Hub();
        var gateway = Packets.Hub(kernelRoute: true);

        Assert.Equal(ForwardVerdict.ToSession, Run(Packets.L2tp(Packets.Esp(16), Packets.KeyA), hub).Verdict);
        Assert.Equal(DropReason.NoRoute, Run(Packets.L2tp(Packets.Esp(16, destination: 0x0A00_0063), Packets.KeyA), gateway).Reason);
        Assert.Equal(DropReason.NoRoute, Run(Packets.L2tp(Packets.Esp(16, destination: Packets.Outside), Packets.KeyA), hub).Reason);

        var inner = Packets.Esp(16, destination: Packets.Outside);
        var buffer = Packets.L2tp(inner, Packets.KeyA, L2tpHeaderFlags.Length, trailer: 3);
        var result = Run(buffer, gateway);
        Assert.Equal(ForwardVerdict.ToKernel, result.Verdict);
        Assert.Equal(inner, buffer.AsSpan(result.Start, result.Length).ToArray());
    }

    [Fact]
    public void Packets_from_the_kernel_are_wrapped_for_the_session_that_leased_the_destination()
    {
        var table = Packets.Hub(sequencingB: true, kernelRoute: true);
        var inner = Packets.Esp(32, source: Packets.Outside, destination: Packets.AddressB);
        var buffer = new byte[Packets.Headroom + inner.Length];
        inner.CopyTo(buffer, Packets.Headroom);

        var verdict = Forwarder.FromKernel(buffer, Packets.Headroom, inner.Length, table.Current, Packets.Worker(), 0, out var result);

        Assert.Equal(ForwardVerdict.ToSession, verdict);
        L2tpHeader.TryParse(buffer.AsSpan(result.Start, result.Length), out var header);
        Assert.Equal((0x0B0B, 0x0B0C, true), (header.TunnelId, header.SessionId, header.HasSequence));
        Assert.Equal(inner, buffer.AsSpan(result.Start + result.Length - inner.Length).ToArray()); // TTL untouched: the kernel routed it
        var denied = Packets.Udp(1234, 80, new byte[8], source: Packets.Outside, destination: Packets.AddressB);
        var deniedBuffer = new byte[Packets.Headroom + denied.Length];
        denied.CopyTo(deniedBuffer, Packets.Headroom);
        Forwarder.FromKernel(deniedBuffer, Packets.Headroom, denied.Length, table.Current, Packets.Worker(), 0, out result);
        Assert.Equal(DropReason.PolicyDenied, result.Reason);
    }

    [Fact]
    public void Every_drop_reason_has_one_distinct_metric_name()
    {
        var names = Enum.GetValues<DropReason>().Select(DropReasons.Name).ToList();
        Assert.Equal(DropReasons.Count, names.Count);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.DoesNotContain("unknown", names);
    }
}
