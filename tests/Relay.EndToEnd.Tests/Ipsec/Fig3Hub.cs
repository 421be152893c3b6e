using Relay.EndToEnd.Tests.Support;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Ipsec;

/// <summary>
/// The FIG. 3 topology: relayd (namespace "s") with one link per site; each site is a masquerading NAT
/// (198.18.N.2 outside, 198.19.N.1 inside) and a client (198.19.N.2) running relay-client and, once its
/// tunnel is up, strongSwan. alice (site a) and bob (site b) have static tunnel addresses, so a restarted
/// relayd hands them the same ones.
/// </summary>
internal sealed class Fig3Hub : IDisposable
{
    public const string RelaydA = "198.18.32.1";
    public const string RelaydB = "198.18.33.1";
    public const string AddressA = "10.201.32.10";
    public const string AddressB = "10.201.32.11";
    public const string InnerA = "10.77.32.1";
    public const string InnerB = "10.77.33.1";

    /// <summary>
    /// ipsec0's MTU so that an inner packet, ESP-in-UDP encapsulated (IPv4 20 + UDP 8 + SPI/seq 8 + AES-CBC IV 16
    /// + padding to 16 with 2 trailer octets + ICV 16), still fits the 1400 octets PPP negotiated on relay0.
    /// </summary>
    public const int IpsecMtu = 1312;

    private readonly Topology.Topology _topology = new();
    private readonly string? _more;

    /// <param name="more">Further top-level relayd config members (JSON text), e.g. a "dataplane" object.</param>
    public Fig3Hub(ScratchDirectory scratch, string? more = null)
    {
        Scratch = scratch;
        _more = more;
        Server = _topology.AddNamespace("s");
        (NatA, ClientA) = Site("a", "32");
        (NatB, ClientB) = Site("b", "33");
        Relayd = StartRelayd();
    }

    public ScratchDirectory Scratch { get; }

    public NetworkNamespace Server { get; }

    public NetworkNamespace NatA { get; }

    public NetworkNamespace NatB { get; }

    public NetworkNamespace ClientA { get; }

    public NetworkNamespace ClientB { get; }

    public Relayd Relayd { get; private set; }

    public RelayClient? RelayClientA { get; private set; }

    public RelayClient? RelayClientB { get; private set; }

    public StrongSwan? SwanA { get; private set; }

    public StrongSwan? SwanB { get; private set; }

    /// <summary>Both relay-clients in mode auto, routing relayd's pool through their tunnels; waits for both tunnels.</summary>
    public void StartClients()
    {
        const string routes = "\"routes\": [\"10.201.32.0/24\"]";
        RelayClientA = RelayClient.Start(ClientA, RelayClient.WriteConfig(Scratch, "a.json", RelaydA, routes));
        RelayClientB = RelayClient.Start(ClientB, RelayClient.WriteConfig(Scratch, "b.json", RelaydB, routes, "bob", "builder"));
        RelayClientA.WaitForLine(l => l.Contains($"tunnel up: relay0 address {AddressA} ", StringComparison.Ordinal));
        RelayClientB.WaitForLine(l => l.Contains($"tunnel up: relay0 address {AddressB} ", StringComparison.Ordinal));
    }

    /// <summary>charon on both clients, IKE between the tunnel addresses, ipsec0 sized for relay0; A initiates. Returns swanctl's output.</summary>
    public string StartIpsec()
    {
        SwanA = StrongSwan.Start(ClientA, Scratch, "a", AddressA, AddressB, InnerA, InnerB);
        SwanB = StrongSwan.Start(ClientB, Scratch, "b", AddressB, AddressA, InnerB, InnerA);
        SwanA.SetIpsecMtu(IpsecMtu);
        SwanB.SetIpsecMtu(IpsecMtu);
        return SwanA.Initiate();
    }

    /// <summary>SIGKILL to relayd (no StopCCN: the clients must find out by themselves), then a fresh one with the same configuration.</summary>
    public void KillAndRestartRelayd()
    {
        Relayd.Dispose();
        Relayd = StartRelayd();
    }

    public string Context()
        => $"relay-client A:\n{RelayClientA?.Output}\nrelay-client B:\n{RelayClientB?.Output}\nrelayd:\n{Relayd.Output}\ncharon A:\n{SwanA?.Output}\ncharon B:\n{SwanB?.Output}";

    public void Dispose()
    {
        SwanA?.Dispose();
        SwanB?.Dispose();
        RelayClientA?.Dispose();
        RelayClientB?.Dispose();
        Relayd.Dispose();
        _topology.Dispose();
    }

    private Relayd StartRelayd()
    {
        var secrets = Scratch.Write("ppp-secrets", $"alice * \"wonderland\" {AddressA}\nbob * \"builder\" {AddressB}\n");
        return Relayd.Start(Server, Scratch, "0.0.0.0", "s3cret", helloIntervalSeconds: 60,
            ppp: $$"""{ "secretsFile": "{{secrets}}", "auth": ["mschapv2", "chap"], "localAddress": "10.201.32.1", "echoIntervalSeconds": 2, "echoFailures": 3 }""",
            pools: """[{ "name": "clients", "range": "10.201.32.0/24" }]""", more: _more);
    }

    private (NetworkNamespace Nat, NetworkNamespace Client) Site(string name, string net)
    {
        var nat = _topology.AddNamespace($"n{name}");
        var client = _topology.AddNamespace($"c{name}");
        _topology.Link(Server, $"eth{name}", $"198.18.{net}.1/24", nat, "eth1", $"198.18.{net}.2/24");
        _topology.Link(nat, "eth0", $"198.19.{net}.1/24", client, "eth0", $"198.19.{net}.2/24");
        nat.EnableForwarding();
        nat.AddMasquerade("eth1");
        client.SetDefaultRoute($"198.19.{net}.1");
        return (nat, client);
    }
}
