using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Wire.Ppp;

namespace Relay.Control.Tests.Ppp;

/// <summary>
/// An authenticator back end that answers later (RADIUS-like): the exchange parks on a pending
/// verdict and resumes through <see cref="PppSession.CompleteAuthentication"/>.
/// </summary>
public sealed class PendingAuthenticationTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(PppAuthMethod.Pap)]
    [InlineData(PppAuthMethod.ChapMd5)]
    [InlineData(PppAuthMethod.MsChapV2)]
    public void Bring_up_completes_after_a_late_verdict(PppAuthMethod method)
    {
        var (pair, backend) = Pair(method, Delay);
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));

        Assert.Equal(Delay, pair.Now);
        var request = Assert.Single(backend.Requests);
        Assert.Equal(method, request.Method);
        Assert.Equal("alice", request.PeerName);
        Assert.Equal("relay", request.LocalName);
        Assert.DoesNotContain("s3cret", request.ToString(), StringComparison.Ordinal);
        var pending = Assert.Single(pair.ServerEvents.OfType<AuthenticationPending>());
        Assert.Equal(new AuthenticationPending(request.Id, "alice", method), pending);
        var authenticated = Assert.Single(pair.ServerEvents.OfType<Authenticated>());
        Assert.Equal("alice", authenticated.User);
        Assert.Equal(method, authenticated.Method);
        Assert.Equal("s3cret-alice", authenticated.Credential!.Secret);
        Assert.True(pair.ServerEvents.IndexOf(pending) < pair.ServerEvents.IndexOf(authenticated));
        Assert.Equal(PppAuthDecision.Accepted, Assert.Single(backend.Delivered).Verdict.Decision);
        Assert.True(Assert.Single(backend.Delivered).Taken);
        Assert.Equal(1, pair.Server.Counters.AuthenticationsPending);
        Assert.Single(pair.ServerEvents.OfType<NetworkReady>());
        Assert.Single(pair.ClientEvents.OfType<NetworkReady>());
    }

    [Theory]
    [InlineData(PppAuthMethod.Pap)]
    [InlineData(PppAuthMethod.ChapMd5)]
    [InlineData(PppAuthMethod.MsChapV2)]
    public void A_late_reject_fails_authentication_and_terminates_both_sides(PppAuthMethod method)
    {
        var (pair, backend) = Pair(method, Delay, password: "guess");
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));

        var failed = Assert.Single(pair.ServerEvents.OfType<AuthenticationFailed>());
        Assert.Equal("alice", failed.User);
        Assert.Equal(method == PppAuthMethod.Pap ? "wrong password" : "wrong response to challenge", failed.Reason);
        Assert.Single(pair.ClientEvents.OfType<AuthenticationFailed>());
        Assert.Single(backend.Requests);
        Assert.Empty(pair.ServerEvents.OfType<NetworkReady>());
        Assert.Equal(0, pair.AddressRequests);
    }

    [Theory]
    [InlineData(PppAuthMethod.Pap)]
    [InlineData(PppAuthMethod.ChapMd5)]
    [InlineData(PppAuthMethod.MsChapV2)]
    public void Peer_repeats_while_pending_get_no_answer_then_the_same_answer(PppAuthMethod method)
    {
        var (pair, backend) = Pair(method, Delay);
        var protocol = method == PppAuthMethod.Pap ? PppProtocol.Pap : PppProtocol.Chap;
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.ServerEvents.OfType<AuthenticationPending>().Any()));
        var serverAuthFrames = ServerFrames(pair, protocol).Count;

        // The peer's own retransmissions (PAP requests, CHAP Responses) and a hand-made repeat:
        // nothing from the authenticator, and no Challenge retransmission either.
        pair.Advance(Delay - TimeSpan.FromSeconds(1));
        var repeat = ClientFrames(pair, protocol)[^1];
        pair.Inject(pair.Server, repeat);
        Assert.Equal(serverAuthFrames, ServerFrames(pair, protocol).Count);
        Assert.True(pair.Server.Counters.AuthenticationRepeatsWhilePending >= 2);
        Assert.Single(backend.Requests);
        Assert.Empty(pair.ServerEvents.OfType<Authenticated>());

        Assert.True(pair.RunUntil(() => pair.BothReady));
        var answer = ServerFrames(pair, protocol)[^1];
        Assert.Equal(serverAuthFrames + 1, ServerFrames(pair, protocol).Count);
        Assert.Equal(method == PppAuthMethod.Pap ? (byte)PapCode.AuthenticateAck : (byte)ChapCode.Success, answer[4]);
        Assert.Equal(repeat[5], answer[5]);

        pair.Inject(pair.Server, repeat);
        Assert.Equal(answer, ServerFrames(pair, protocol)[^1]);
        Assert.Equal(serverAuthFrames + 2, ServerFrames(pair, protocol).Count);
        Assert.Single(backend.Requests);
        Assert.Single(pair.ServerEvents.OfType<Authenticated>());
    }

    [Theory]
    [InlineData(PppAuthMethod.Pap)]
    [InlineData(PppAuthMethod.ChapMd5)]
    [InlineData(PppAuthMethod.MsChapV2)]
    public void A_verdict_that_never_arrives_ends_in_the_authentication_timeout(PppAuthMethod method)
    {
        var (pair, backend) = Pair(method, delay: null, timeout: TimeSpan.FromSeconds(20));
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.ServerEvents.OfType<AuthenticationFailed>().Any()));

        Assert.Equal(TimeSpan.FromSeconds(20), pair.Now);
        var failed = Assert.Single(pair.ServerEvents.OfType<AuthenticationFailed>());
        Assert.Equal("alice", failed.User);
        Assert.Equal("no verdict from the authenticator within 20 s", failed.Reason);
        Assert.Single(backend.Requests);
        Assert.True(pair.RunUntil(() => pair.BothFinished));
        Assert.Single(pair.ClientEvents.OfType<AuthenticationFailed>());
        Assert.Empty(pair.ServerEvents.OfType<NetworkReady>());

        // The answer that comes after all is ignored.
        var frames = pair.Wire.Count;
        Assert.False(pair.Server.CompleteAuthentication(backend.Requests[0].Id, PppAuthVerdict.Accept(), pair.Now));
        pair.Pump();
        Assert.Equal(frames, pair.Wire.Count);
        Assert.Empty(pair.ServerEvents.OfType<Authenticated>());
    }

    [Fact]
    public void Without_a_pending_verdict_the_default_timeout_is_max_configure_restart_periods()
    {
        var (pair, _) = Pair(PppAuthMethod.ChapMd5, delay: null);
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.ServerEvents.OfType<AuthenticationFailed>().Any()));
        Assert.Equal(pair.ServerOptions.RestartTimer * pair.ServerOptions.MaxConfigure, pair.Now);
    }

    [Theory]
    [InlineData(PppAuthMethod.Pap)]
    [InlineData(PppAuthMethod.ChapMd5)]
    [InlineData(PppAuthMethod.MsChapV2)]
    public void A_verdict_for_a_session_that_went_away_is_ignored(PppAuthMethod method)
    {
        var (pair, backend) = Pair(method, Delay);
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.ServerEvents.OfType<AuthenticationPending>().Any()));
        pair.Server.LowerLayerDown("L2TP session closed", pair.Now);
        pair.Pump();
        var frames = pair.Wire.Count(w => w.FromServer);
        var events = pair.ServerEvents.Count;

        pair.Advance(Delay);

        var delivered = Assert.Single(backend.Delivered);
        Assert.False(delivered.Taken);
        Assert.Equal(frames, pair.Wire.Count(w => w.FromServer));
        Assert.Equal(events, pair.ServerEvents.Count);
        Assert.Empty(pair.ServerEvents.OfType<Authenticated>());
        Assert.True(pair.Server.IsFinished);
    }

    [Fact]
    public void A_verdict_for_another_request_is_ignored_and_the_right_one_still_counts()
    {
        var (pair, backend) = Pair(PppAuthMethod.ChapMd5, delay: null);
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.ServerEvents.OfType<AuthenticationPending>().Any()));
        var id = Assert.Single(backend.Requests).Id;

        Assert.False(pair.Server.CompleteAuthentication(id + 1, PppAuthVerdict.Accept(), pair.Now));
        Assert.False(pair.Server.CompleteAuthentication(id, PppAuthVerdict.Pending, pair.Now));
        pair.Pump();
        Assert.Empty(pair.ServerEvents.OfType<Authenticated>());

        Assert.True(pair.Server.CompleteAuthentication(id, PppAuthVerdict.Accept(["100.64.0.9"]), pair.Now));
        Assert.False(pair.Server.CompleteAuthentication(id, PppAuthVerdict.Reject("too late"), pair.Now));
        Assert.True(pair.RunUntil(() => pair.BothReady));
        var authenticated = Assert.Single(pair.ServerEvents.OfType<Authenticated>());
        Assert.Null(authenticated.Credential);
        Assert.Equal(["100.64.0.9"], authenticated.Addresses);
        Assert.Empty(pair.ServerEvents.OfType<AuthenticationFailed>());
    }

    [Fact]
    public void An_ms_chap_v2_accept_without_a_success_message_is_turned_into_a_failure()
    {
        var (pair, backend) = Pair(PppAuthMethod.MsChapV2, delay: null);
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.ServerEvents.OfType<AuthenticationPending>().Any()));

        Assert.True(pair.Server.CompleteAuthentication(Assert.Single(backend.Requests).Id, PppAuthVerdict.Accept(), pair.Now));
        Assert.True(pair.RunUntil(() => pair.BothFinished));
        Assert.Contains("without an MS-CHAPv2 Success message", Assert.Single(pair.ServerEvents.OfType<AuthenticationFailed>()).Reason, StringComparison.Ordinal);
        Assert.Empty(pair.ServerEvents.OfType<Authenticated>());
        Assert.Single(pair.ClientEvents.OfType<AuthenticationFailed>());
    }

    private static (PppPair Pair, SlowAuthenticator Backend) Pair(PppAuthMethod method, TimeSpan? delay, string password = "s3cret-alice", TimeSpan? timeout = null)
    {
        var backend = new SlowAuthenticator(PppPair.Secrets, delay);
        var pair = new PppPair(
            PppPair.DefaultServer() with { AuthMethods = [method], Credentials = null, Authenticator = backend, AuthenticationTimeout = timeout },
            PppPair.DefaultClient("alice", password) with { AuthMethods = [method] });
        backend.Attach(pair);
        return (pair, backend);
    }

    private static List<byte[]> ServerFrames(PppPair pair, ushort protocol) =>
        pair.Wire.Where(w => w.FromServer && Protocol(w.Frame) == protocol).Select(w => w.Frame).ToList();

    private static List<byte[]> ClientFrames(PppPair pair, ushort protocol) =>
        pair.Wire.Where(w => !w.FromServer && Protocol(w.Frame) == protocol).Select(w => w.Frame).ToList();

    private static ushort Protocol(byte[] frame) => (ushort)(frame[2] << 8 | frame[3]);
}
