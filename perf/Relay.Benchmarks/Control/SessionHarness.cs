using System.Net;
using Relay.Control.Addressing;
using Relay.Control.L2tp;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Control.Sessions;

namespace Relay.Benchmarks.Control;

/// <summary>
/// The whole set-up in memory: L2TP tunnel + session, LCP, authentication and IPCP with an
/// address from a pool, between an LNS controller and a LAC controller at one simulated instant.
/// </summary>
internal static class SessionHarness
{
    private static readonly IPEndPoint Lns = new(IPAddress.Parse("198.18.0.1"), 1701);
    private static readonly IPEndPoint Lac = new(IPAddress.Parse("198.18.0.2"), 1701);

    /// <summary>Dials <paramref name="sessions"/> clients to ready; returns how many the LNS has ready.</summary>
    public static int Establish(int sessions, PppAuthMethod method, out LnsController lns)
    {
        var server = Ipv4Address.FromIPAddress(IPAddress.Parse("10.200.0.1"));
        var l2tp = new L2tpOptions { MaxTunnels = 65535, SccrqPerSecondPerSource = 1_000_000, SendTieBreaker = false };
        var controller = new LnsController(new LnsOptions
        {
            L2tp = l2tp,
            Ppp = new PppOptions
            {
                AuthMethods = [method],
                Credentials = ChapSecrets.Parse("alice relay wonderland *\n").Secrets,
                ServerAddress = Ipv4Address.ToIPAddress(server),
            },
            Pools = [new PoolDefinition("bench", Ipv4Prefix.Parse("10.200.0.0/16"), PoolRealm.Private, [Ipv4Prefix.Single(server)])],
            ServerAddresses = [server],
        }, new Random(1));
        var lac = new LacController(new LacOptions
        {
            Lns = Lns,
            L2tp = l2tp with { Role = L2tpRole.Lac },
            Ppp = new PppOptions { Role = PppRole.Peer, Name = "alice", AuthMethods = [method], Credentials = new ClientCredentials("alice", "wonderland") },
        }, new Random(2));
        lns = controller;
        var now = TimeSpan.Zero;
        for (var i = 0; i < sessions; i++)
        {
            lac.Dial(now);
        }
        while (lac.Outbox.Count > 0 || lns.Outbox.Count > 0)
        {
            Move(lac.Outbox, d => Deliver(controller, d, now));
            Move(lns.Outbox, d => Deliver(lac, d, now));
        }
        lns.Events.Clear();
        lns.L2tpEvents.Clear();
        return lns.ReadySessions;
    }

    private static void Move(List<OutgoingDatagram> outbox, Action<byte[]> deliver)
    {
        var batch = outbox.ToArray();
        outbox.Clear();
        foreach (var d in batch)
        {
            deliver(d.Payload);
        }
    }

    private static void Deliver(LnsController lns, byte[] d, TimeSpan now)
    {
        if ((d[0] & 0x80) != 0)
        {
            lns.ReceiveControl(Lac, d, now);
        }
        else
        {
            lns.ReceiveData(Lac, d, now);
        }
    }

    private static void Deliver(LacController lac, byte[] d, TimeSpan now)
    {
        if ((d[0] & 0x80) != 0)
        {
            lac.ReceiveControl(Lns, d, now);
        }
        else
        {
            lac.ReceiveData(Lns, d, now);
        }
    }
}
