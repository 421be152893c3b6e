namespace Relay.Server.Configuration;

/// <summary><c>dataplane</c>: the forwarding workers (Relay.DataPlane).</summary>
internal sealed record DataplaneConfig
{
    /// <summary>Worker threads, each pinned to a CPU with its own SO_REUSEPORT socket; null = one per CPU.</summary>
    public int? Workers { get; set; }

    /// <summary>Datagrams per recvmmsg/sendmmsg call.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>UDP GRO on receive (a train of same-size datagrams per read).</summary>
    public bool Gro { get; set; } = true;

    /// <summary>UDP GSO on send (UDP_SEGMENT for runs of same-size datagrams to one peer).</summary>
    public bool Gso { get; set; } = true;

    /// <summary>Seconds between data-plane summary log lines; 0 = only at stop.</summary>
    public int StatsSeconds { get; set; } = 60;

    /// <summary>Inner destinations outside the pools go to TUN; null = on exactly when a TUN is configured.</summary>
    public bool? KernelRoute { get; set; }

    public DataplaneTunConfig Tun { get; set; } = new();

    /// <summary>The kernel fast path (native/bpf): "off", "xdp", "xdp-generic" or "tc".</summary>
    public string FastPath { get; set; } = "off";

    /// <summary>The uplink interface the fast path attaches to (required unless fastPath is "off").</summary>
    public string? FastPathInterface { get; set; }

    /// <summary>Refuse to start when the fast path cannot start, instead of falling back to the workers alone.</summary>
    public bool FastPathRequired { get; set; }

    /// <summary>The bpffs directory the fast path pins its maps in.</summary>
    public string FastPathPins { get; set; } = "/sys/fs/bpf/relay";
}
