using System.Net;
using Relay.Control.L2tp;

namespace Relay.Benchmarks.Control;

/// <summary>Drives a LAC engine and an LNS engine against each other in memory, at a fixed instant.</summary>
internal static class ControlPlaneHarness
{
    private static readonly IPEndPoint Lns = new(IPAddress.Parse("198.18.0.1"), 1701);
    private static readonly IPEndPoint Lac = new(IPAddress.Parse("198.18.0.2"), 1701);

    /// <summary>Establishes <paramref name="tunnels"/> tunnels with one session each; returns sessions up on the LNS.</summary>
    public static int Establish(int tunnels, out L2tpEngine lns, out L2tpEngine lac)
    {
        var options = new L2tpOptions { MaxTunnels = 65535, SccrqPerSecondPerSource = 1_000_000, SendTieBreaker = false };
        lns = new L2tpEngine(options, new Random(1));
        lac = new L2tpEngine(options with { Role = L2tpRole.Lac }, new Random(2));
        var now = TimeSpan.Zero;
        var pending = new List<ushort>(tunnels);
        for (var i = 0; i < tunnels; i++)
        {
            pending.Add(lac.OpenTunnel(Lns, now));
        }
        Pump(lns, lac, now);
        foreach (var tunnel in pending)
        {
            lac.OpenSession(tunnel, now);
        }
        Pump(lns, lac, now);
        // Let the delayed acknowledgements go, so both sides end idle.
        now += TimeSpan.FromSeconds(1);
        lns.Tick(now);
        lac.Tick(now);
        Pump(lns, lac, now);
        return lns.SessionCount;
    }

    private static void Pump(L2tpEngine lns, L2tpEngine lac, TimeSpan now)
    {
        while (lns.Outbox.Count > 0 || lac.Outbox.Count > 0)
        {
            Move(lac, lns, Lac, now);
            Move(lns, lac, Lns, now);
        }
        lns.Events.Clear();
        lac.Events.Clear();
    }

    private static void Move(L2tpEngine from, L2tpEngine to, IPEndPoint fromAddress, TimeSpan now)
    {
        var batch = from.Outbox.ToArray();
        from.Outbox.Clear();
        foreach (var d in batch)
        {
            to.Receive(fromAddress, d.Payload, now);
        }
    }
}
