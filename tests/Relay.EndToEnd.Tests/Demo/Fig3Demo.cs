using System.Diagnostics;
using Relay.EndToEnd.Tests.Ipsec;
using Relay.EndToEnd.Tests.Support;
using Relay.Testing;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Demo;

/// <summary>
/// <c>make demo</c>: FIG. 3 told step by step for a newcomer (NAT found, tunnel up, address, SA, traffic,
/// counters), on the same topology as <see cref="Fig3HubTests"/>, and cleaned up afterwards. It is a
/// test like any other (each step asserts what it says), so the story cannot drift from what the code does.
/// </summary>
public sealed class Fig3Demo(ITestOutputHelper output)
{
    [Fact]
    public void Fig3_step_by_step()
    {
        var clock = Stopwatch.StartNew();
        void Say(string text) => output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F2} s] {text}");

        using var scratch = new ScratchDirectory();
        Say("building FIG. 3 in network namespaces: client A behind NAT-A, client B behind NAT-B, relayd on the \"internet\" between them");
        using (var hub = new Fig3Hub(scratch))
        {
            Say($"relayd listens on {Fig3Hub.RelaydA} (NAT-A's side) and {Fig3Hub.RelaydB} (NAT-B's side): L2TP on udp 1701, STUN on udp 3478");

            hub.StartClients();
            foreach (var (name, client) in new[] { ("A", hub.RelayClientA!), ("B", hub.RelayClientB!) })
            {
                var decision = Line(client.Output, "nat probe via");
                Assert.Contains("decision tunnel: nat:", decision, StringComparison.Ordinal);
                Say($"client {name}: {decision}");
                var up = Line(client.Output, "tunnel up:");
                Say($"client {name}: {up}");
            }

            var initiated = hub.StartIpsec();
            Assert.Contains($"TS {Fig3Hub.InnerA}/32 === {Fig3Hub.InnerB}/32", initiated, StringComparison.Ordinal);
            Say($"strongSwan: IKEv2 SA between the tunnel addresses {Fig3Hub.AddressA} and {Fig3Hub.AddressB}, child SA {Fig3Hub.InnerA}/32 === {Fig3Hub.InnerB}/32 (ESP in UDP 4500, through relayd)");

            var mbps = IpsecFlow.Tcp(hub.ClientA, Fig3Hub.InnerA, hub.ClientB, Fig3Hub.InnerB, 1 << 20);
            Say($"traffic: 1 MiB over TCP from A to B inside the SA arrived intact ({mbps:F0} Mbit/s on this machine)");

            var sessions = Shell.Run(RepositoryPaths.Relayctl(), ["--socket", hub.Relayd.ControlSocket, "sessions"]);
            Assert.True(sessions.ExitCode == 0, sessions.ToString());
            Assert.Contains(Fig3Hub.AddressA, sessions.StandardOutput, StringComparison.Ordinal);
            Assert.Contains(Fig3Hub.AddressB, sessions.StandardOutput, StringComparison.Ordinal);
            Say("relayctl sessions (relayd's view: who, which address, packets forwarded):");
            foreach (var row in sessions.StandardOutput.TrimEnd('\n').Split('\n'))
            {
                output.WriteLine($"           {row}");
            }
        }
        Say("cleaned up: strongSwan, relay-clients and relayd stopped, namespaces removed");
    }

    private static string Line(string log, string marker)
    {
        foreach (var line in log.Split('\n'))
        {
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                return line[at..].TrimEnd();
            }
        }
        throw new Xunit.Sdk.XunitException($"no line with \"{marker}\" in:\n{log}");
    }
}
