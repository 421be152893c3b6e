using Relay.Wire.Ip;

namespace Relay.Wire.Tests.Ip;

/// <summary>Relay.Wire sits on the packet path: parsing, checksums and writing must not allocate.</summary>
public sealed class IpAllocationTests
{
    [Fact]
    public void Parsing_checksumming_and_writing_ip_packets_allocates_nothing()
    {
        var packet = new byte[128];
        Assert.False(Exercise(packet));

        var failed = false;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            failed |= Exercise(packet);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(failed);
        Assert.Equal(0, allocated);
    }

    private static bool Exercise(byte[] packet)
    {
        var bad = false;
        packet[28] = 0x12;
        UdpHeader.Write(packet.AsSpan(20), 4500, 4500, 1, 2);
        Ipv4Header.Write(packet, Ipv4Header.ProtocolUdp, 1, 2, (ushort)packet.Length, ttl: 64);
        bad |= Ipv4Header.Parse(packet, out var ip) != Ipv4Status.Ok;
        bad |= UdpHeader.Parse(ip.Payload, out var udp) != UdpStatus.Ok;
        bad |= udp.VerifyChecksum(ip.Source, ip.Destination) != UdpStatus.Ok;
        bad |= UdpEncapsulation.Classify(udp.Payload) != UdpEncapsulationKind.Esp;
        EspView.Parse(udp.Payload, out _);
        bad |= Ipv4Header.DecrementTtl(packet) != Ipv4TtlStatus.Ok;
        return bad;
    }
}
