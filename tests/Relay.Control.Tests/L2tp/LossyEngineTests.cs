using System.Text;
using Relay.Control.L2tp;
using Relay.Control.L2tp.Transport;

namespace Relay.Control.Tests.L2tp;

/// <summary>
/// The whole tunnel and session life cycle through a path with 20 % loss, 10 % duplication and
/// reordering, over hundreds of seeds: both sides must agree at every step and end with no
/// tunnel, session or timer left.
/// </summary>
public class LossyEngineTests
{
    public static TheoryData<int> Seeds() => TestSeeds.Range(300);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Life_cycle_completes_and_leaves_nothing_behind_under_loss_duplication_and_reordering(int seed)
    {
        var secret = Encoding.UTF8.GetBytes("lossy");
        var options = new L2tpOptions
        {
            SecretFor = _ => secret,
            HideAvps = seed % 2 == 0,
            Reliability = new ReliableDeliveryOptions { MaxRetransmissions = 8 },
        };
        var pair = new EnginePair(options, options, seed, loss: 0.2, duplication: 0.1, maxDelayMs: 300);

        var tunnel = pair.Lac.OpenTunnel(EnginePair.LnsAddress, pair.Now);
        Assert.True(pair.RunUntil(() => pair.LacEvents.OfType<TunnelEstablished>().Any() && pair.LnsEvents.OfType<TunnelEstablished>().Any()), $"seed {seed}: tunnel");
        var sessions = new List<ushort>();
        for (var i = 0; i < 3; i++)
        {
            sessions.Add(pair.Lac.OpenSession(tunnel, pair.Now)!.Value);
        }
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionEstablished>().Count() == 3 && pair.LacEvents.OfType<SessionEstablished>().Count() == 3), $"seed {seed}: sessions");

        pair.Lac.CloseSession(tunnel, sessions[0], ResultCodes.CdnAdministrative, null, null, pair.Now);
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionClosed>().Any()), $"seed {seed}: CDN");
        Assert.Equal(2, pair.Lns.SessionCount);

        var lnsTunnel = pair.LnsEvents.OfType<TunnelEstablished>().Single().TunnelId;
        pair.Lns.CloseTunnel(lnsTunnel, ResultCodes.StopGeneralRequest, null, null, pair.Now);
        pair.RunToQuiescence();

        Assert.Equal(TunnelCloseReason.Peer, pair.LacEvents.OfType<TunnelClosed>().Single().Reason);
        Assert.Equal(TunnelCloseReason.Local, pair.LnsEvents.OfType<TunnelClosed>().Single().Reason);
        Assert.Equal(3, pair.LacEvents.OfType<SessionClosed>().Count());
        Assert.Equal(3, pair.LnsEvents.OfType<SessionClosed>().Count());
        Assert.Empty(pair.Lns.Tunnels);
        Assert.Empty(pair.Lac.Tunnels);
        Assert.Equal(0, pair.Lns.SessionCount + pair.Lac.SessionCount);
        Assert.Null(pair.Lns.NextDeadline());
        Assert.Null(pair.Lac.NextDeadline());
    }
}
