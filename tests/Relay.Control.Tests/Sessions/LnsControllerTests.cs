using System.Net;
using Relay.Control.Addressing;
using Relay.Control.L2tp;
using Relay.Control.L2tp.Transport;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Control.Sessions;

namespace Relay.Control.Tests.Sessions;

public class LnsControllerTests
{
    private static readonly uint Server = Ipv4Address.FromIPAddress(IPAddress.Parse("10.201.0.1"));

    private static LnsOptions Lns(string secrets = "alice relay wonderland *\nbob relay builder 10.201.0.5\neve relay apple -\n", string range = "10.201.0.0/29", PppAuthMethod method = PppAuthMethod.ChapMd5)
        => new()
        {
            Ppp = new PppOptions
            {
                Name = "relay",
                AuthMethods = [method],
                Credentials = ChapSecrets.Parse(secrets).Secrets,
                ServerAddress = IPAddress.Parse("10.201.0.1"),
                DnsServers = [IPAddress.Parse("198.18.53.53")],
            },
            Pools = [new PoolDefinition("private", Ipv4Prefix.Parse(range), PoolRealm.Private, [Ipv4Prefix.Single(Server)])],
            ServerAddresses = [Server],
        };

    private static LacOptions Lac(string user, string password, PppAuthMethod method = PppAuthMethod.ChapMd5) => new()
    {
        Lns = ControllerPair.LnsAddress,
        Ppp = new PppOptions { Role = PppRole.Peer, Name = user, AuthMethods = [method], Credentials = new ClientCredentials(user, password) },
    };

    [Theory]
    [InlineData(PppAuthMethod.MsChapV2)]
    [InlineData(PppAuthMethod.ChapMd5)]
    [InlineData(PppAuthMethod.Pap)]
    public void Client_gets_an_address_from_the_pool_after_authenticating(PppAuthMethod method)
    {
        var pair = new ControllerPair(Lns(method: method), Lac("alice", "wonderland", method));
        pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LacEvents.OfType<SessionReady>().Any() && pair.LnsEvents.OfType<SessionReady>().Any()));
        var lns = pair.LnsEvents.OfType<SessionReady>().Single();
        var lac = pair.LacEvents.OfType<SessionReady>().Single();
        Assert.Equal("alice", lns.User);
        Assert.Equal(lns.PeerAddress, lac.LocalAddress);
        Assert.Equal(IPAddress.Parse("10.201.0.1"), lac.PeerAddress);
        Assert.Equal([IPAddress.Parse("198.18.53.53")], lac.Dns);
        Assert.True(pair.Lns.Leases.TryFindSession(Ipv4Address.FromIPAddress(lns.PeerAddress), out var key));
        Assert.Equal(lns.Key, key);
        Assert.Equal(1, pair.Lns.ReadySessions);
        // The raw L2TP events stay visible to relayd's log after the controller has acted on them.
        Assert.Contains(pair.Lns.L2tpEvents, e => e is TunnelEstablished);
        Assert.Contains(pair.Lns.L2tpEvents, e => e is SessionEstablished);
    }

    [Fact]
    public void Wrong_password_ends_the_session_with_a_cdn_and_no_lease()
    {
        var pair = new ControllerPair(Lns(), Lac("alice", "looking-glass"));
        pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionEnded>().Any() && pair.LacEvents.OfType<SessionEnded>().Any()));
        var ended = pair.LnsEvents.OfType<SessionEnded>().Single();
        Assert.False(ended.WasReady);
        Assert.Contains("authentication failed", ended.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("looking-glass", ended.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("wonderland", ended.Reason, StringComparison.Ordinal);
        Assert.Equal(0, pair.Lns.Leases.Count);
        Assert.Equal(1, pair.Lns.Counters.AuthenticationFailures);
        Assert.Empty(pair.LnsEvents.OfType<SessionReady>());
    }

    [Fact]
    public void A_late_verdict_from_an_asynchronous_authenticator_brings_the_session_up_with_its_static_address()
    {
        var backend = new ParkingAuthenticator();
        var lns = Lns() with { Ppp = Lns().Ppp with { Credentials = null, Authenticator = backend } };
        var pair = new ControllerPair(lns, Lac("carol", "anything"));
        pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => backend.Requests.Count > 0));
        var request = Assert.Single(backend.Requests);
        Assert.Equal("carol", request.PeerName);
        var notice = pair.LnsEvents.OfType<SessionNotice>().Single(n => n.Message.Contains("awaiting", StringComparison.Ordinal));
        Assert.Empty(pair.LnsEvents.OfType<SessionReady>());

        Assert.False(pair.Lns.CompleteAuthentication(new SessionKey(notice.Key.TunnelId, (ushort)(notice.Key.SessionId + 1)), request.Id, PppAuthVerdict.Accept(), pair.Now));
        Assert.True(pair.Lns.CompleteAuthentication(notice.Key, request.Id, PppAuthVerdict.Accept(["10.201.0.6"]), pair.Now));
        Assert.True(pair.RunUntil(() => pair.LacEvents.OfType<SessionReady>().Any() && pair.LnsEvents.OfType<SessionReady>().Any()));
        Assert.Equal(IPAddress.Parse("10.201.0.6"), pair.LacEvents.OfType<SessionReady>().Single().LocalAddress);
        Assert.Equal("carol", pair.LnsEvents.OfType<SessionReady>().Single().User);
        Assert.False(pair.Lns.CompleteAuthentication(notice.Key, request.Id, PppAuthVerdict.Reject("late"), pair.Now));
        Assert.Equal(1, pair.Lns.ReadySessions);
    }

    /// <summary>A back end that never answers by itself: the test hands the verdict in.</summary>
    private sealed class ParkingAuthenticator : IPppAuthenticator
    {
        public List<PppAuthRequest> Requests { get; } = [];

        public PppAuthVerdict Authenticate(PppAuthRequest request)
        {
            Requests.Add(request);
            return PppAuthVerdict.Pending;
        }
    }

    [Fact]
    public void Static_address_from_the_secrets_file_is_leased()
    {
        var pair = new ControllerPair(Lns(), Lac("bob", "builder"));
        pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LacEvents.OfType<SessionReady>().Any()));
        Assert.Equal(IPAddress.Parse("10.201.0.5"), pair.LacEvents.OfType<SessionReady>().Single().LocalAddress);
    }

    [Fact]
    public void User_allowed_no_address_is_refused()
    {
        var pair = new ControllerPair(Lns(), Lac("eve", "apple"));
        pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionEnded>().Any()));
        Assert.Contains("no address", pair.LnsEvents.OfType<SessionEnded>().Single().Reason, StringComparison.Ordinal);
        Assert.Equal(1, pair.Lns.Counters.AddressRefused);
    }

    [Fact]
    public void Exhausted_pool_refuses_the_next_client_and_a_released_address_serves_again()
    {
        // A /30 holds two usable addresses; relayd's own is one of them.
        var pair = new ControllerPair(Lns(range: "10.201.0.0/30"), Lac("alice", "wonderland"));
        var first = pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LacEvents.OfType<SessionReady>().Count() == 1));
        pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionEnded>().Any()));
        Assert.Contains("Exhausted", pair.LnsEvents.OfType<SessionEnded>().Single().Reason, StringComparison.Ordinal);

        pair.Lac.HangUp(first, "done", pair.Now);
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionEnded>().Count() == 2));
        Assert.Equal(0, pair.Lns.Leases.Count);
        pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LacEvents.OfType<SessionReady>().Count() == 2));
    }

    [Fact]
    public void Hanging_up_releases_the_lease_and_reports_the_session_ended()
    {
        var pair = new ControllerPair(Lns(), Lac("alice", "wonderland"));
        var tunnel = pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionReady>().Any()));
        var address = pair.LnsEvents.OfType<SessionReady>().Single().PeerAddress;
        pair.Lac.HangUp(tunnel, "bye", pair.Now);
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionEnded>().Any()));
        var ended = pair.LnsEvents.OfType<SessionEnded>().Single();
        Assert.True(ended.WasReady);
        Assert.Equal(address, ended.Address);
        Assert.Equal(0, pair.Lns.Leases.Count);
        Assert.Equal(0, pair.Lns.ReadySessions);
    }

    [Fact]
    public void Lns_closing_a_session_terminates_ppp_then_sends_cdn()
    {
        var pair = new ControllerPair(Lns(), Lac("alice", "wonderland"));
        pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionReady>().Any()));
        var key = pair.LnsEvents.OfType<SessionReady>().Single().Key;
        Assert.True(pair.Lns.CloseSession(key, "kicked by operator", pair.Now));
        Assert.True(pair.RunUntil(() => pair.LacEvents.OfType<SessionEnded>().Any() && pair.LnsEvents.OfType<SessionEnded>().Any()));
        Assert.Equal("kicked by operator", pair.LnsEvents.OfType<SessionEnded>().Single().Reason);
        Assert.Equal(0, pair.Lac.ReadySessions);
    }

    [Fact]
    public void Repeated_authentication_failures_close_the_tunnel()
    {
        var options = Lns() with { MaxAuthFailuresPerTunnelPerMinute = 2 };
        var pair = new ControllerPair(options, Lac("alice", "wrong"));
        var tunnel = pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionEnded>().Any()));
        for (var i = 0; i < 2; i++)
        {
            pair.Lac.L2tp.OpenSession(tunnel, pair.Now);
            pair.RunUntil(() => pair.LnsEvents.OfType<SessionEnded>().Count() == i + 2, TimeSpan.FromSeconds(30));
        }
        Assert.True(pair.RunUntil(() => pair.Lns.Counters.TunnelsClosedForAuthFailures == 1));
        Assert.Contains(pair.LnsEvents.OfType<SessionNotice>(), n => n.Message.Contains("too many PPP authentication failures", StringComparison.Ordinal));
    }

    public static TheoryData<int> Seeds() => TestSeeds.Range(100);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Whole_stack_comes_up_and_goes_down_cleanly_through_a_lossy_path(int seed)
    {
        var reliable = new L2tpOptions { Reliability = new ReliableDeliveryOptions { MaxRetransmissions = 8 } };
        var pair = new ControllerPair(Lns() with { L2tp = reliable }, Lac("alice", "wonderland") with { L2tp = reliable with { Role = L2tpRole.Lac } },
            seed, loss: 0.15, duplication: 0.1, maxDelayMs: 200);
        var tunnel = pair.Lac.Dial(pair.Now);
        Assert.True(pair.RunUntil(() => pair.LacEvents.OfType<SessionReady>().Any() && pair.LnsEvents.OfType<SessionReady>().Any()), $"seed {seed}: not ready");
        Assert.Equal(pair.LnsEvents.OfType<SessionReady>().Single().PeerAddress, pair.LacEvents.OfType<SessionReady>().Single().LocalAddress);
        pair.Lac.HangUp(tunnel, "bye", pair.Now);
        pair.RunUntil(() => false, TimeSpan.FromMinutes(5));
        Assert.Single(pair.LnsEvents.OfType<SessionEnded>());
        Assert.Equal(0, pair.Lns.Leases.Count);
        Assert.Empty(pair.Lns.L2tp.Tunnels);
        Assert.Null(pair.Lns.NextDeadline());
        Assert.Null(pair.Lac.NextDeadline());
    }
}
