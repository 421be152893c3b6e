namespace Relay.DataPlane.Bpf;

/// <summary>How and where to start the kernel fast path.</summary>
public sealed record FastPathOptions(FastPathMode Mode, string InterfaceName)
{
    /// <summary>The default bpffs directory the maps are pinned in (inspect with bpftool map dump pinned ...).</summary>
    public const string DefaultPinDirectory = "/sys/fs/bpf/relay";

    public string PinDirectory { get; init; } = DefaultPinDirectory;

    /// <summary>Where relay_xdp.o and relay_tc.o are: by default next to the executable.</summary>
    public string ObjectDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>The relay's own IPv4 address (host order); when not 0, only datagrams to it take the fast path.</summary>
    public uint LocalAddress { get; init; }

    /// <summary>
    /// Skip the FIB lookup: swap the MACs and send forwarded packets back out the interface they
    /// came in on (an edge box behind one router; also what BPF_PROG_TEST_RUN can check).
    /// </summary>
    public bool Reflect { get; init; }
}
