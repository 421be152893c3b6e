using System.Globalization;
using System.Net;
using Relay.LoadGen.Sessions;
using Relay.Topology;

namespace Relay.LoadGen.Rig;

/// <summary>
/// The bench topology: namespace "r" runs the relay (relayd on 198.18.0.1:1701, the C baseline on
/// 198.18.0.1:1702), namespace "g" the load generator with side A on 198.18.0.2 and side B on
/// 198.18.0.3, joined by one veth pair. Addresses are from 198.18.0.0/15 (RFC 2544).
/// Dispose kills what runs in the namespaces and deletes them.
/// </summary>
internal sealed class BenchRig : IDisposable
{
    public static readonly IPAddress RelayAddress = IPAddress.Parse("198.18.0.1");
    public static readonly IPAddress SideAAddress = IPAddress.Parse("198.18.0.2");
    public static readonly IPAddress SideBAddress = IPAddress.Parse("198.18.0.3");
    public const int RelaydPort = 1701;
    public const int BaselinePort = 1702;

    private readonly Topology.Topology _topology;

    public BenchRig(LoadGenOptions options)
    {
        Options = options;
        Scratch = Directory.CreateTempSubdirectory("relay-loadgen-").FullName;
        _topology = new Topology.Topology("rlg");
        try
        {
            Relay = _topology.AddNamespace("r");
            Generator = _topology.AddNamespace("g");
            _topology.Link(Relay, "eth0", $"{RelayAddress}/24", Generator, "eth0", $"{SideAAddress}/24");
            Generator.AddAddress("eth0", $"{SideBAddress}/24");
            // Bigger socket buffers where the namespace allows it (net.core.*mem_max is per namespace on recent kernels).
            foreach (var ns in new[] { Relay, Generator })
            {
                ns.Exec("sysctl", "-qw", "net.core.rmem_max=8388608");
                ns.Exec("sysctl", "-qw", "net.core.wmem_max=8388608");
            }
            // The same rig for every relay mode. Native XDP sees partial checksums from a veth sender
            // that offloads them; the kernel's route lookup in the fast path answers only on forwarding
            // interfaces; and each side's receive work runs on that side's CPU (KernelSteering).
            Generator.MustExec("ethtool", "-K", "eth0", "tx", "off");
            Relay.MustExec("sysctl", "-qw", "net.ipv4.conf.eth0.forwarding=1");
            if (options.RelayCpu is { } relayCpu)
            {
                KernelSteering.SteerReceive(Relay, "eth0", relayCpu);
            }
            if (options.ReceiverCpu is { } receiverCpu)
            {
                KernelSteering.SteerReceive(Generator, "eth0", receiverCpu);
            }
        }
        catch
        {
            _topology.Dispose();
            throw;
        }
    }

    public LoadGenOptions Options { get; }

    public NetworkNamespace Relay { get; }

    public NetworkNamespace Generator { get; }

    /// <summary>A private directory for configs and logs, deleted on dispose unless --keep.</summary>
    public string Scratch { get; }

    /// <summary>Where relayd pins the fast path's maps in this run (removed by relayd at stop).</summary>
    public string FastPathPins => "/sys/fs/bpf/" + Path.GetFileName(Scratch);

    /// <summary>
    /// Readies the generator side for relayd in fast path <paramref name="mode"/>: for native XDP, the
    /// generator's eth0 runs the pass-through program (a veth delivers XDP_TX frames to its peer only
    /// when the peer runs XDP), its NAPI poll threaded and pinned to the receiver's CPU. Dispose undoes it.
    /// </summary>
    public IDisposable PrepareGenerator(string mode)
    {
        if (mode != "xdp")
        {
            return new Undo(() => { });
        }
        var xdpObject = Path.Combine(Path.GetDirectoryName(Options.RelaydPath)!, "relay_xdp.o");
        Generator.MustExec("ip", "link", "set", "dev", "eth0", "xdpdrv", "object", xdpObject, "program", "relay_xdp_pass");
        try
        {
            if (Options.ReceiverCpu is { } cpu)
            {
                KernelSteering.PinThreadedNapi(Generator, "eth0", cpu);
            }
        }
        catch
        {
            Generator.Exec("ip", "link", "set", "dev", "eth0", "xdpdrv", "off");
            throw;
        }
        return new Undo(() =>
        {
            KernelSteering.UnthreadNapi(Generator, "eth0");
            Generator.Exec("ip", "link", "set", "dev", "eth0", "xdpdrv", "off");
        });
    }

    /// <summary>
    /// After relayd attached native XDP: its NAPI poll (where the program runs) threaded and pinned to
    /// the relay CPU. Returns the NAPI threads (none in other modes), whose CPU time is the relay's.
    /// </summary>
    public IReadOnlyList<int> PinRelayNapi(string mode)
        => mode == "xdp" ? KernelSteering.PinThreadedNapi(Relay, "eth0", Options.RelayCpu ?? 0) : [];

    /// <summary>Back to softirq polling on the relay's eth0, so that the next mode starts from the same state.</summary>
    public void UnpinRelayNapi() => KernelSteering.UnthreadNapi(Relay, "eth0");

    public static IPEndPoint RelaydEndPoint => new(RelayAddress, RelaydPort);

    public static IPEndPoint BaselineEndPoint => new(RelayAddress, BaselinePort);

    /// <summary>Starts relayd for a scenario and waits until it listens.</summary>
    public RelaydProcess StartRelayd(RelaydSettings settings) => RelaydProcess.Start(this, settings);

    /// <summary>Starts the C baseline relaying between side A's and side B's port <paramref name="port"/>.</summary>
    public BaselineProcess StartBaseline(int port) => BaselineProcess.Start(this, port);

    public ClientSide NewSide(string name, IPAddress address, int port)
        => new(name, Generator, new IPEndPoint(address, port), RelaydEndPoint, BenchCredentials.Default);

    public void Dispose()
    {
        try
        {
            _topology.Dispose();
        }
        finally
        {
            if (!Options.Keep)
            {
                Directory.Delete(Scratch, recursive: true);
            }
        }
    }

    private sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
