using System.Net;
using Relay.Control.Addressing;
using Relay.DataPlane.Bpf;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Workers;
using Relay.Server.Configuration;
using Relay.Server.Lns;

namespace Relay.Server.DataPlane;

/// <summary>The validated <c>dataplane</c> and <c>policy</c> keys, turned into what the LNS service starts with.</summary>
internal sealed record DataPlaneSetup
{
    public required WorkerPoolOptions Pool { get; init; }

    public required ForwardingPolicy Policy { get; init; }

    /// <summary>Inner destinations outside the pools go to TUN.</summary>
    public bool KernelRoute { get; init; }

    /// <summary>TUN interface to create (one queue per worker), or null.</summary>
    public string? TunName { get; init; }

    /// <summary>relayd's PPP address: the TUN interface's address.</summary>
    public IPAddress LocalAddress { get; init; } = IPAddress.Any;

    /// <summary>The pools: routed into TUN, and the forwarding table's address index.</summary>
    public IReadOnlyList<Ipv4Prefix> Pools { get; init; } = [];

    /// <summary>The TUN MTU: the PPP MRU, so the kernel never hands a session a packet its link refuses.</summary>
    public int Mtu { get; init; } = 1400;

    /// <summary>The kernel fast path to start (Mode Off: none), and whether relayd refuses to run without it.</summary>
    public FastPathOptions FastPath { get; init; } = new(FastPathMode.Off, "");

    public bool FastPathRequired { get; init; }

    /// <summary>Between summary log lines; zero for none until stop.</summary>
    public TimeSpan StatsInterval { get; init; }

    public static DataPlaneSetup FromConfig(RelayConfig config, IPEndPoint l2tp)
    {
        ArgumentNullException.ThrowIfNull(config);
        var dataplane = config.Dataplane;
        var rules = new List<PolicyRule>();
        foreach (var text in config.Policy.Allow)
        {
            PolicyRuleText.TryParse(text, out var rule);
            rules.Add(rule);
        }
        var pools = new List<Ipv4Prefix>();
        foreach (var pool in config.Pools)
        {
            Ipv4Cidr.TryParse(pool.Range, out var cidr);
            pools.Add(new Ipv4Prefix(cidr.Network, cidr.PrefixLength));
        }
        var fastPathMode = FastPathModes.Parse(dataplane.FastPath) ?? FastPathMode.Off;
        return new DataPlaneSetup
        {
            Pool = new WorkerPoolOptions
            {
                Endpoint = l2tp,
                Workers = dataplane.Workers ?? Environment.ProcessorCount,
                BatchSize = dataplane.BatchSize,
                // tc runs after GRO, and the kernel merges datagrams for sockets that ask for UDP_GRO:
                // the tc program would see trains it must leave to user space (pass reason coalesced).
                Gro = dataplane.Gro && fastPathMode != FastPathMode.Tc,
                Gso = dataplane.Gso,
            },
            Policy = ForwardingPolicy.Create(rules),
            KernelRoute = dataplane.KernelRoute ?? dataplane.Tun.Name is not null,
            TunName = dataplane.Tun.Name,
            LocalAddress = Ipv4Address.ToIPAddress(LnsOptionsFactory.LocalAddress(config)),
            Pools = pools,
            Mtu = config.Ppp.Mru,
            StatsInterval = TimeSpan.FromSeconds(dataplane.StatsSeconds),
            FastPath = new FastPathOptions(fastPathMode, dataplane.FastPathInterface ?? "")
            {
                PinDirectory = dataplane.FastPathPins,
                // Bound to one address: the kernel takes only datagrams to it and sends from it, as the socket would.
                LocalAddress = l2tp.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !l2tp.Address.Equals(IPAddress.Any)
                    ? Ipv4Address.FromIPAddress(l2tp.Address) : 0,
            },
            FastPathRequired = dataplane.FastPathRequired,
        };
    }
}
