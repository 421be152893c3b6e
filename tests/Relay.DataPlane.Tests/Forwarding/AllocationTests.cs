using Relay.DataPlane.Forwarding;

namespace Relay.DataPlane.Tests.Forwarding;

/// <summary>The hot path allocates nothing: classify + rewrite, forward and drop alike.</summary>
public class AllocationTests
{
    [Fact]
    public void Classify_and_rewrite_allocate_zero_bytes_per_packet()
    {
        var table = Packets.Hub(sequencingB: true, kernelRoute: true);
        var worker = Packets.Worker();
        var forward = Packets.L2tp(Packets.Esp(1400), Packets.KeyA, Wire.L2tp.L2tpHeaderFlags.Length);
        var kernel = Packets.L2tp(Packets.Esp(64, destination: Packets.Outside), Packets.KeyA);
        var denied = Packets.L2tp(Packets.Udp(1, 53, new byte[8]), Packets.KeyA);
        var pristine = forward.ToArray();
        var snapshot = table.Current;
        var source = Packets.PeerA;

        void Once()
        {
            pristine.CopyTo(forward, 0);
            Forwarder.FromPeer(forward, Packets.Headroom, forward.Length - Packets.Headroom, source, snapshot, worker, 1, out _);
            Forwarder.FromPeer(kernel, Packets.Headroom, kernel.Length - Packets.Headroom, source, snapshot, worker, 1, out _);
            Forwarder.FromPeer(denied, Packets.Headroom, denied.Length - Packets.Headroom, source, snapshot, worker, 1, out _);
        }

        for (var i = 0; i < 1000; i++)
        {
            Once(); // warm up tiered compilation
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Once();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(11_000, worker.Drops.Read(DropReason.PolicyDenied));
    }
}
