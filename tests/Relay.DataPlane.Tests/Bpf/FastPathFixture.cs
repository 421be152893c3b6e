using Relay.Control.Addressing;
using Relay.DataPlane.Bpf;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.DataPlane.Tests.Forwarding;

namespace Relay.DataPlane.Tests.Bpf;

/// <summary>
/// Both programs loaded (not attached) with their maps pinned in a private bpffs directory, synced
/// from a hub table: A and B ready, C ready but sequencing data, D established and not ready.
/// Forwarding is in "reflect" mode (MACs swapped, back out the same interface), which is what
/// BPF_PROG_TEST_RUN can show without a FIB.
/// </summary>
public sealed class FastPathFixture : IDisposable
{
    public const uint AddressC = 0x0A_00_00_0C;
    public static readonly UdpPeer PeerC = UdpPeer.FromIPv4(0xCB_00_71_03, 1701);
    public static readonly SessionKey KeyC = new(103, 203);
    public static readonly SessionKey KeyD = new(104, 204);

    public FastPathFixture()
    {
        Table = Packets.Hub();
        Table.Ready(KeyC, PeerC, 0x0C0C, 0x0C0D, dataSequencing: true, AddressC);
        Table.Establish(KeyD, UdpPeer.FromIPv4(0xCB_00_71_04, 1701), 0x0D0D, 0x0D0E, dataSequencing: false);
        Table.Publish();
        Xdp = Load(FastPathMode.Xdp);
        Tc = Load(FastPathMode.Tc);
    }

    public ForwardingTable Table { get; }

    public FastPath Xdp { get; }

    public FastPath Tc { get; }

    public FastPath For(FastPathMode mode) => mode == FastPathMode.Tc ? Tc : Xdp;

    public static string NewPinDirectory() => $"/sys/fs/bpf/relay-test-{Guid.NewGuid():N}";

    private FastPath Load(FastPathMode mode)
    {
        var fastPath = FastPath.Load(new FastPathOptions(mode, "lo")
        {
            PinDirectory = NewPinDirectory(),
            ObjectDirectory = BpfObjects.Directory,
            LocalAddress = Frames.Relay,
            Reflect = true,
        });
        fastPath.Sync(Table.Current);
        return fastPath;
    }

    public void Dispose()
    {
        Xdp.Dispose();
        Tc.Dispose();
    }
}
