using Relay.Control.Ppp;

namespace Relay.Control.Tests.Ppp;

/// <summary>Bring-up and teardown over a link that loses, duplicates and reorders frames.</summary>
public sealed class LossyPppTests
{
    [Fact]
    public void Over_hundreds_of_seeds_both_sides_agree_and_close_leaves_no_timer()
    {
        var ready = 0;
        var retransmitted = 0;
        for (var seed = 0; seed < 400; seed++)
        {
            var method = seed % 2 == 0 ? PppAuthMethod.ChapMd5 : PppAuthMethod.Pap;
            var pair = new PppPair(PppPair.DefaultServer() with { AuthMethods = [method] }, seed: seed, loss: 0.2, duplication: 0.1, maxDelayMs: 400);
            pair.Open();
            var agreed = pair.RunUntil(() => Agreed(pair), TimeSpan.FromMinutes(15));
            Assert.True(agreed, $"seed {seed}: server {pair.Server.LcpState}/{pair.Server.IpcpState} finished={pair.Server.IsFinished}, client {pair.Client.LcpState}/{pair.Client.IpcpState} finished={pair.Client.IsFinished}");
            if (pair.BothReady)
            {
                ready++;
                retransmitted += pair.Now > TimeSpan.FromSeconds(2) ? 1 : 0;
                var server = pair.ServerEvents.OfType<NetworkReady>().Last();
                var client = pair.ClientEvents.OfType<NetworkReady>().Last();
                Assert.Equal(server.LocalAddress, client.PeerAddress);
                Assert.Equal(server.PeerAddress, client.LocalAddress);
                Assert.Equal(PppPair.ClientAddress, client.LocalAddress);
                Assert.Equal(server.Mru, client.Mru);
                Assert.Equal(1, pair.AddressRequests);
                pair.Server.Close("test over", pair.Now);
            }
            Assert.True(pair.RunUntil(() => pair.BothFinished, TimeSpan.FromMinutes(15)), $"seed {seed}: not both finished after Close");
            Assert.Null(pair.Server.NextDeadline());
            Assert.Null(pair.Client.NextDeadline());
            Assert.Single(pair.ServerEvents.OfType<Terminated>());
            Assert.Single(pair.ClientEvents.OfType<Terminated>());
        }
        // With 20 % loss almost every bring-up succeeds within the retransmission limits.
        Assert.True(ready > 380, $"only {ready} of 400 came up");
        // The link did its job: most bring-ups needed the restart timer at least once.
        Assert.True(retransmitted > 200, $"only {retransmitted} bring-ups needed a retransmission");
    }

    [Fact]
    public void Duplicated_frames_alone_never_prevent_bring_up()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var pair = new PppPair(seed: seed, duplication: 0.5);
            pair.Open();
            Assert.True(pair.RunUntil(() => pair.BothReady && StableFor(pair), TimeSpan.FromMinutes(5)), $"seed {seed}");
        }
    }

    [Fact]
    public void Wrong_credentials_over_a_lossy_link_end_with_both_sides_terminated()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var pair = new PppPair(client: PppPair.DefaultClient("alice", "nope"), seed: seed, loss: 0.2, duplication: 0.1, maxDelayMs: 200);
            pair.Open();
            Assert.True(pair.RunUntil(() => pair.BothFinished, TimeSpan.FromMinutes(15)), $"seed {seed}");
            Assert.Empty(pair.ServerEvents.OfType<NetworkReady>());
            Assert.Empty(pair.ClientEvents.OfType<NetworkReady>());
        }
    }

    /// <summary>Both up with addresses that match, or both finished.</summary>
    private static bool Agreed(PppPair pair)
    {
        if (pair.BothFinished)
        {
            return true;
        }
        if (!pair.BothReady)
        {
            return false;
        }
        var server = pair.ServerEvents.OfType<NetworkReady>().LastOrDefault();
        var client = pair.ClientEvents.OfType<NetworkReady>().LastOrDefault();
        return server is not null && client is not null && server.PeerAddress.Equals(client.LocalAddress);
    }

    private static bool StableFor(PppPair pair)
        => pair.Server.LcpState == PppFsmState.Opened && pair.Client.LcpState == PppFsmState.Opened;
}
