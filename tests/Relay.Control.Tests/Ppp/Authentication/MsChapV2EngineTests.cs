using System.Text;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Wire.Ppp;

namespace Relay.Control.Tests.Ppp.Authentication;

/// <summary>
/// The MS-CHAPv2 engines on their own, wired by hand, for orderings a whole session cannot
/// produce on demand (a late Response crossing a repeated Challenge, a Response after Failure).
/// </summary>
public sealed class MsChapV2EngineTests
{
    private static readonly TimeSpan Restart = TimeSpan.FromSeconds(3);

    [Fact]
    public void A_repeated_challenge_gets_the_same_response_so_a_success_for_the_first_copy_verifies()
    {
        // The Response is late; the authenticator repeats its Challenge; the late Response is
        // judged and the Success refers to its Peer-Challenge. The peer must have answered the
        // repeat with the same Peer-Challenge, or that genuine Success would look forged.
        var (authenticator, serverHost) = Authenticator();
        var (peer, clientHost) = Peer("alice", "s3cret-alice");
        authenticator.Start(TimeSpan.Zero);
        peer.Start(TimeSpan.Zero);
        var challenge = serverHost.TakeSingle();

        peer.Receive(challenge, TimeSpan.Zero);
        var late = clientHost.TakeSingle();
        authenticator.Tick(Restart);
        var repeat = serverHost.TakeSingle();
        Assert.Equal(challenge, repeat);
        authenticator.Receive(late, Restart);
        var success = serverHost.TakeSingle();
        peer.Receive(repeat, Restart);
        Assert.Equal(late, clientHost.TakeSingle());
        peer.Receive(success, Restart);

        Assert.Equal(("alice", true), serverHost.Result);
        Assert.Equal(("alice", true), clientHost.Result);
        Assert.Null(peer.Deadline);
        Assert.Null(authenticator.Deadline);
    }

    [Fact]
    public void A_new_challenge_gets_a_new_peer_challenge()
    {
        var (peer, host) = Peer("alice", "s3cret-alice");
        peer.Start(TimeSpan.Zero);
        peer.Receive(Challenge(1, 0x11), TimeSpan.Zero);
        var first = host.TakeSingle();
        peer.Receive(Challenge(2, 0x22), TimeSpan.Zero);
        var second = host.TakeSingle();
        Assert.False(first.AsSpan(5, 16).SequenceEqual(second.AsSpan(5, 16)));
        Assert.Equal(2, second[1]);
    }

    [Fact]
    public void After_failure_a_second_response_gets_the_same_failure_even_with_the_right_password()
    {
        // One challenge judges one password (RFC 1994 §4.2: the same answer to a repeated Response).
        var (authenticator, host) = Authenticator();
        authenticator.Start(TimeSpan.Zero);
        var challenge = host.TakeSingle();
        authenticator.Receive(Response(challenge, "alice", "guess"), TimeSpan.Zero);
        var failure = host.TakeSingle();
        Assert.Equal((byte)ChapCode.Failure, failure[0]);

        authenticator.Receive(Response(challenge, "alice", "s3cret-alice"), TimeSpan.Zero);

        Assert.Equal(failure, host.TakeSingle());
        Assert.Equal(("alice", false), host.Result);
        Assert.Equal(1, host.Results);
    }

    [Fact]
    public void A_response_to_another_identifier_is_discarded()
    {
        var (authenticator, host) = Authenticator();
        authenticator.Start(TimeSpan.Zero);
        var challenge = host.TakeSingle();
        var response = Response(challenge, "alice", "s3cret-alice");
        response[1]++;
        authenticator.Receive(response, TimeSpan.Zero);
        Assert.Empty(host.Sent);
        Assert.Equal(1, host.Counters.AuthenticationDiscarded);
        Assert.Equal(0, host.Results);
    }

    [Fact]
    public void The_challenge_is_retransmitted_every_restart_period_and_abandoned_after_max_configure()
    {
        // RFC 1994 §4.1 with RFC 1661 §4.6's restart timer and Max-Configure (10).
        var (authenticator, host) = Authenticator();
        authenticator.Start(TimeSpan.Zero);
        var challenge = host.TakeSingle();
        Assert.Equal(16, challenge[4]);
        var now = TimeSpan.Zero;
        for (var i = 1; i < 10; i++)
        {
            authenticator.Tick(now + Restart - TimeSpan.FromMilliseconds(1));
            Assert.Empty(host.Sent);
            now += Restart;
            authenticator.Tick(now);
            Assert.Equal(challenge, host.TakeSingle());
        }
        authenticator.Tick(now + Restart);
        Assert.Empty(host.Sent);
        Assert.Equal(("", false), host.Result);
        Assert.Equal("no response to challenge", host.Reason);
        Assert.Null(authenticator.Deadline);
    }

    [Fact]
    public void The_peer_retransmits_its_response_until_max_configure_then_fails()
    {
        var (peer, host) = Peer("alice", "s3cret-alice");
        peer.Start(TimeSpan.Zero);
        peer.Receive(Challenge(7, 0x33), TimeSpan.Zero);
        var response = host.TakeSingle();
        var now = TimeSpan.Zero;
        for (var i = 1; i < 10; i++)
        {
            now += Restart;
            peer.Tick(now);
            Assert.Equal(response, host.TakeSingle());
        }
        peer.Tick(now + Restart);
        Assert.Empty(host.Sent);
        Assert.Equal(("alice", false), host.Result);
        Assert.Equal("no Success or Failure from the authenticator", host.Reason);
    }

    [Fact]
    public void The_peer_reports_the_failure_code_and_a_cleaned_message()
    {
        var (peer, host) = Peer("alice", "s3cret-alice");
        peer.Start(TimeSpan.Zero);
        peer.Receive(Challenge(9, 0x44), TimeSpan.Zero);
        host.TakeSingle();
        var message = MsChapV2.FormatFailureMessage(MsChapV2Error.PasswordExpired, retry: false, new byte[16], "expired\r\nforged log line");
        var failure = new byte[4 + message.Length];
        ChapPacket.WriteResult(failure, ChapCode.Failure, 9, message);
        peer.Receive(failure, TimeSpan.Zero);
        Assert.Equal("rejected by the authenticator (E=648: expired??forged log line)", host.Reason);
    }

    private static (MsChapV2AuthenticatorProtocol, FakeHost) Authenticator()
    {
        var credentials = new InMemoryCredentials().Add("alice", "relay", "s3cret-alice");
        var host = new FakeHost(1, new SecretsAuthenticator(credentials));
        var options = new PppOptions
        {
            Role = PppRole.Authenticator,
            Name = "relay",
            Credentials = new InMemoryCredentials().Add("alice", "relay", "s3cret-alice"),
        };
        return (new MsChapV2AuthenticatorProtocol(options, host), host);
    }

    private static (MsChapV2PeerProtocol, FakeHost) Peer(string user, string password)
    {
        var host = new FakeHost(2);
        var options = new PppOptions { Role = PppRole.Peer, Name = user, Credentials = new InMemoryCredentials().Add(user, "*", password) };
        return (new MsChapV2PeerProtocol(options, host), host);
    }

    private static byte[] Challenge(byte identifier, byte fill)
    {
        var value = Enumerable.Repeat(fill, 16).ToArray();
        var packet = new byte[4 + 1 + 16 + 5];
        ChapPacket.WriteChallenge(packet, ChapCode.Challenge, identifier, value, "relay"u8);
        return packet;
    }

    /// <summary>A correct MS-CHAPv2 Response packet to <paramref name="challenge"/> (a CHAP Challenge packet).</summary>
    private static byte[] Response(byte[] challenge, string user, string password)
    {
        var peerChallenge = Enumerable.Range(0, 16).Select(i => (byte)(0x40 + i)).ToArray();
        var ntResponse = MsChapV2.GenerateNtResponse(challenge.AsSpan(5, 16), peerChallenge, user, password);
        var value = new byte[MsChapV2.ResponseValueLength];
        MsChapV2.WriteResponseValue(value, peerChallenge, ntResponse);
        var name = Encoding.UTF8.GetBytes(user);
        var packet = new byte[4 + 1 + value.Length + name.Length];
        ChapPacket.WriteChallenge(packet, ChapCode.Response, challenge[1], value, name);
        return packet;
    }

    private sealed class FakeHost(int seed, IPppAuthenticator? authenticator = null) : IAuthenticationHost
    {
        private readonly Random _random = new(seed);

        public List<byte[]> Sent { get; } = [];

        public (string User, bool Success)? Result { get; private set; }

        public string? Reason { get; private set; }

        public int Results { get; private set; }

        public PppCounters Counters { get; } = new();

        public byte[] TakeSingle()
        {
            var packet = Assert.Single(Sent);
            Sent.Clear();
            return packet;
        }

        public void SendAuthentication(ushort protocol, ReadOnlySpan<byte> packet)
        {
            Assert.Equal(PppProtocol.Chap, protocol);
            Sent.Add(packet.ToArray());
        }

        public void FillRandom(Span<byte> destination) => _random.NextBytes(destination);

        public PppAuthVerdict Authenticate(PppAuthRequest request, TimeSpan now) =>
            authenticator?.Authenticate(request) ?? PppAuthVerdict.Reject("unknown user");

        public void AuthenticationSucceeded(string user, PppAuthVerdict? verdict, TimeSpan now)
        {
            Result = (user, true);
            Results++;
        }

        public void AuthenticationFailed(string user, string reason, TimeSpan now)
        {
            Result = (user, false);
            Reason = reason;
            Results++;
        }
    }
}
