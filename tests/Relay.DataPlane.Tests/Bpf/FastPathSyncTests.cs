using System.Diagnostics;
using Relay.DataPlane.Bpf;
using Relay.DataPlane.Tests.Forwarding;
using Relay.Wire.L2tp;

namespace Relay.DataPlane.Tests.Bpf;

/// <summary>The kernel maps follow the forwarding table; pins appear, survive a crashed owner, and go at dispose.</summary>
public sealed class FastPathSyncTests
{
    private static FastPath Load(string pins) => FastPath.Load(new FastPathOptions(FastPathMode.Xdp, "lo")
    {
        PinDirectory = pins,
        ObjectDirectory = BpfObjects.Directory,
        Reflect = true,
    });

    private static byte[] EspFrom(Relay.Control.Addressing.SessionKey key, uint source, uint destination)
        => Frames.Udp(Packets.L2tp(Packets.Esp(24, source, destination), key, headroom: 0), key == Packets.KeyA ? Packets.PeerA : Packets.PeerB);

    [Fact]
    public void Sessions_enter_change_and_leave_the_kernel_with_the_table()
    {
        var table = Packets.Hub();
        using var fastPath = Load(FastPathFixture.NewPinDirectory());
        fastPath.Sync(table.Current);
        Assert.Equal(2, fastPath.SessionCount);
        Assert.Equal(ProgramRun.XdpTx, ProgramRun.Run(fastPath, EspFrom(Packets.KeyA, Packets.AddressA, Packets.AddressB)).Verdict);

        // B's peer moves (NAT rebinding): the rewrite follows at the next sync.
        var moved = Relay.DataPlane.Sockets.UdpPeer.FromIPv4(0xCB_00_71_22, 4242);
        table.Ready(Packets.KeyB, moved, 0x0B0B, 0x0B0C, false, Packets.AddressB);
        fastPath.Sync(table.Publish());
        var (_, output) = ProgramRun.Run(fastPath, EspFrom(Packets.KeyA, Packets.AddressA, Packets.AddressB));
        Assert.Equal(moved.IPv4, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(output.AsSpan(14 + 16)));
        Assert.Equal(moved.Port, System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(output.AsSpan(14 + 22)));

        // B ends: A's packets to B's address go to user space (no route), B's own ids are unknown.
        table.End(Packets.KeyB);
        fastPath.Sync(table.Publish());
        Assert.Equal(1, fastPath.SessionCount);
        var before = fastPath.ReadCounters();
        Assert.Equal(ProgramRun.XdpPass, ProgramRun.Run(fastPath, EspFrom(Packets.KeyA, Packets.AddressA, Packets.AddressB)).Verdict);
        Assert.Equal(ProgramRun.XdpPass, ProgramRun.Run(fastPath, Frames.Udp(Packets.L2tp(Packets.Esp(24, Packets.AddressB, Packets.AddressA),
            Packets.KeyB, headroom: 0), moved)).Verdict);
        var after = fastPath.ReadCounters();
        Assert.Equal(1, after.Pass(FastPathPass.NoRoute) - before.Pass(FastPathPass.NoRoute));
        Assert.Equal(1, after.Pass(FastPathPass.UnknownSession) - before.Pass(FastPathPass.UnknownSession));
    }

    [Fact]
    public void Kernel_counts_are_folded_into_the_session_counters_once()
    {
        var table = Packets.Hub();
        using var fastPath = Load(FastPathFixture.NewPinDirectory());
        fastPath.Sync(table.Current);
        var frame = EspFrom(Packets.KeyA, Packets.AddressA, Packets.AddressB);
        var length = frame.Length - Frames.HeadersLength;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ProgramRun.XdpTx, ProgramRun.Run(fastPath, frame).Verdict);
        }
        Assert.Equal(ProgramRun.XdpDrop, ProgramRun.Run(fastPath, EspFrom(Packets.KeyA, 0x0A_00_00_63, Packets.AddressB)).Verdict);

        fastPath.Fold(table.Current);
        fastPath.Fold(table.Current); // nothing new: nothing added twice

        table.TryGet(Packets.KeyA, out var a);
        table.TryGet(Packets.KeyB, out var b);
        Assert.Equal((4L, 4L * length, 1L), (a!.Traffic.ReceivedPackets, a.Traffic.ReceivedBytes, a.Traffic.DroppedPackets));
        Assert.Equal((3L, 3L * length), (b!.Traffic.SentPackets, b.Traffic.SentBytes));

        // A leaves the kernel but not the table (a policy the kernel cannot hold): its last counts are kept.
        Assert.Equal(ProgramRun.XdpTx, ProgramRun.Run(fastPath, frame).Verdict);
        var rules = Enumerable.Range(1, 17).Select(p => new Relay.DataPlane.Forwarding.PolicyRule(Relay.DataPlane.Forwarding.PolicyRule.Udp, (ushort)p, (ushort)p));
        table.SetPolicy(Relay.DataPlane.Forwarding.ForwardingPolicy.Create(rules), kernelRoute: false);
        fastPath.Sync(table.Publish());
        Assert.Equal(5, a.Traffic.ReceivedPackets);
    }

    [Fact]
    public void A_policy_the_kernel_cannot_hold_sends_every_session_to_user_space()
    {
        var rules = Enumerable.Range(1, 17).Select(p => new Relay.DataPlane.Forwarding.PolicyRule(Relay.DataPlane.Forwarding.PolicyRule.Udp, (ushort)p, (ushort)p));
        var table = Packets.Hub(policy: Relay.DataPlane.Forwarding.ForwardingPolicy.Create(rules));
        using var fastPath = Load(FastPathFixture.NewPinDirectory());
        fastPath.Sync(table.Current);
        Assert.Equal(0, fastPath.SessionCount);

        table.SetPolicy(Relay.DataPlane.Forwarding.ForwardingPolicy.IpsecOnly, kernelRoute: false);
        fastPath.Sync(table.Publish());
        Assert.Equal(2, fastPath.SessionCount);
    }

    [Fact]
    public void Maps_are_pinned_replaced_when_stale_and_removed_at_dispose()
    {
        var pins = FastPathFixture.NewPinDirectory();
        var crashed = Load(pins); // never disposed before the next start: its pins are stale
        try
        {
            using (var fastPath = Load(pins))
            {
                fastPath.Sync(Packets.Hub().Current);
                foreach (var name in FastPath.MapNames)
                {
                    Assert.True(File.Exists(Path.Combine(pins, name)), name);
                }
                // The pinned sessions map is the running instance's: bpftool sees the two sessions.
                using var dump = System.Text.Json.JsonDocument.Parse(Bpftool("-j", "map", "dump", "pinned", Path.Combine(pins, "relay_sessions")));
                Assert.Equal(2, dump.RootElement.GetArrayLength());
            }
            Assert.False(Directory.Exists(pins));
        }
        finally
        {
            crashed.Dispose();
        }
    }

    private static string Bpftool(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bpftool", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"bpftool {string.Join(' ', arguments)}: {error.Result}");
        return output;
    }
}
