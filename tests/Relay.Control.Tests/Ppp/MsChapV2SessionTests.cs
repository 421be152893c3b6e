using System.Buffers.Binary;
using System.Text;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Wire.Ppp;

namespace Relay.Control.Tests.Ppp;

/// <summary>MS-CHAPv2 (RFC 2759) as a CHAP algorithm in a whole PPP bring-up, both roles.</summary>
public sealed class MsChapV2SessionTests
{
    [Fact]
    public void Brings_the_link_up_with_the_right_password()
    {
        var pair = MsChapV2Pair();
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));

        var serverAuth = Assert.Single(pair.ServerEvents.OfType<Authenticated>());
        Assert.Equal(("alice", PppAuthMethod.MsChapV2), (serverAuth.User, serverAuth.Method));
        Assert.Equal("s3cret-alice", serverAuth.Credential!.Secret);
        var clientAuth = Assert.Single(pair.ClientEvents.OfType<Authenticated>());
        Assert.Equal(("alice", PppAuthMethod.MsChapV2), (clientAuth.User, clientAuth.Method));
        Assert.Single(pair.ServerEvents.OfType<NetworkReady>());
        Assert.Single(pair.ClientEvents.OfType<NetworkReady>());
        Assert.Equal(PppAuthMethod.MsChapV2, pair.ServerEvents.OfType<LinkOpened>().Single().AuthMethod);
        Assert.Equal(TimeSpan.Zero, pair.Now);

        // RFC 2759 §3–5: Challenge Value-Size 16 with our Name, Response Value-Size 49 with the
        // peer's Name, Success carrying "S=" and 40 hexadecimal digits.
        var chap = ChapPackets(pair);
        Assert.Equal([ChapCode.Challenge, ChapCode.Response, ChapCode.Success], chap.Select(p => p.Code).ToArray());
        Assert.Equal(16, chap[0].Information[4]);
        Assert.Equal("relay", Encoding.UTF8.GetString(chap[0].Information.AsSpan(5 + 16)));
        Assert.Equal(49, chap[1].Information[4]);
        Assert.Equal("alice", Encoding.UTF8.GetString(chap[1].Information.AsSpan(5 + 49)));
        Assert.Equal(chap[0].Information[1], chap[1].Information[1]);
        Assert.Matches("^S=[0-9A-F]{40} M=", Message(chap[2]));
    }

    [Fact]
    public void A_wrong_password_gets_failure_691_and_both_sides_terminate()
    {
        var pair = MsChapV2Pair(PppPair.DefaultClient("alice", "guess"));
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));

        var failed = Assert.Single(pair.ServerEvents.OfType<AuthenticationFailed>());
        Assert.Equal(("alice", "wrong response to challenge"), (failed.User, failed.Reason));
        Assert.DoesNotContain("s3cret", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("guess", failed.Reason, StringComparison.Ordinal);
        var clientFailed = Assert.Single(pair.ClientEvents.OfType<AuthenticationFailed>());
        Assert.Contains("E=691", clientFailed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("guess", clientFailed.Reason, StringComparison.Ordinal);
        Assert.Empty(pair.ServerEvents.OfType<NetworkReady>());
        Assert.Empty(pair.ClientEvents.OfType<NetworkReady>());
        Assert.Null(pair.Server.NextDeadline());
        Assert.Null(pair.Client.NextDeadline());
        Assert.Equal(0, pair.AddressRequests);

        // RFC 2759 §6: E=691, no retry, C= repeats the challenge sent, V=3.
        var chap = ChapPackets(pair);
        var challenge = Convert.ToHexString(chap.First(p => p.Code == ChapCode.Challenge).Information.AsSpan(5, 16));
        var failure = Assert.Single(chap, p => p.Code == ChapCode.Failure);
        Assert.StartsWith($"E=691 R=0 C={challenge} V=3 M=", Message(failure), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_user_gets_the_same_failure_as_a_wrong_password()
    {
        var pair = MsChapV2Pair(PppPair.DefaultClient("mallory", "x"));
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));

        var failed = Assert.Single(pair.ServerEvents.OfType<AuthenticationFailed>());
        Assert.Equal(("mallory", "unknown user"), (failed.User, failed.Reason));
        Assert.Single(pair.ClientEvents.OfType<AuthenticationFailed>());
        Assert.StartsWith("E=691 R=0 C=", Message(Assert.Single(ChapPackets(pair), p => p.Code == ChapCode.Failure)), StringComparison.Ordinal);
        Assert.Empty(pair.ClientEvents.OfType<NetworkReady>());
    }

    [Fact]
    public void The_peer_rejects_a_success_whose_authenticator_response_is_forged()
    {
        // RFC 2759 §5: the peer MUST check "S=" — a Success from an authenticator that does not
        // know the password must not bring the link up.
        var pair = MsChapV2Pair();
        pair.TamperServer = frame =>
        {
            if (IsChap(frame, ChapCode.Success))
            {
                frame = (byte[])frame.Clone();
                frame[4 + 4 + 2] = frame[4 + 4 + 2] == (byte)'0' ? (byte)'1' : (byte)'0';
            }
            return frame;
        };
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));

        Assert.Single(pair.ServerEvents.OfType<Authenticated>());
        var failed = Assert.Single(pair.ClientEvents.OfType<AuthenticationFailed>());
        Assert.Contains("authenticator response does not match", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(pair.ClientEvents.OfType<Authenticated>());
        Assert.Empty(pair.ClientEvents.OfType<NetworkReady>());
        Assert.Contains("authentication failed", Assert.Single(pair.ClientEvents.OfType<Terminated>()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_peer_rejects_a_success_without_an_authenticator_response()
    {
        var pair = MsChapV2Pair();
        pair.TamperServer = frame => IsChap(frame, ChapCode.Success) ? Chap(ChapCode.Success, frame[5], "welcome"u8) : frame;
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));
        Assert.Equal("Success without an authenticator response", Assert.Single(pair.ClientEvents.OfType<AuthenticationFailed>()).Reason);
        Assert.Empty(pair.ClientEvents.OfType<NetworkReady>());
    }

    [Fact]
    public void The_authenticator_moves_to_chap_md5_when_the_peer_naks_ms_chap_v2()
    {
        // RFC 1661 §6.2: the peer Naks with the CHAP algorithm it prefers.
        var pair = new PppPair(PppPair.DefaultServer() with { AuthMethods = [PppAuthMethod.MsChapV2, PppAuthMethod.ChapMd5] },
            PppPair.DefaultClient() with { AuthMethods = [PppAuthMethod.ChapMd5] });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        Assert.Equal(PppAuthMethod.ChapMd5, Assert.Single(pair.ServerEvents.OfType<Authenticated>()).Method);
        Assert.Equal(PppAuthMethod.ChapMd5, Assert.Single(pair.ClientEvents.OfType<Authenticated>()).Method);
        Assert.Contains(pair.Wire, w => !w.FromServer && IsLcp(w.Frame, PppCode.ConfigureNak));
    }

    [Fact]
    public void The_authenticator_moves_to_ms_chap_v2_when_the_peer_naks_chap_md5()
    {
        var pair = new PppPair(PppPair.DefaultServer() with { AuthMethods = [PppAuthMethod.ChapMd5, PppAuthMethod.MsChapV2] },
            PppPair.DefaultClient() with { AuthMethods = [PppAuthMethod.MsChapV2] });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        Assert.Equal(PppAuthMethod.MsChapV2, Assert.Single(pair.ServerEvents.OfType<Authenticated>()).Method);
        Assert.Equal(PppAuthMethod.MsChapV2, Assert.Single(pair.ClientEvents.OfType<Authenticated>()).Method);
        Assert.Contains(pair.Wire, w => !w.FromServer && IsLcp(w.Frame, PppCode.ConfigureNak));
    }

    [Fact]
    public void A_peer_that_prefers_ms_chap_v2_takes_it_when_offered_first()
    {
        var pair = new PppPair(PppPair.DefaultServer() with { AuthMethods = [PppAuthMethod.MsChapV2, PppAuthMethod.ChapMd5] },
            PppPair.DefaultClient() with { AuthMethods = [PppAuthMethod.MsChapV2, PppAuthMethod.ChapMd5] });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        Assert.Equal(PppAuthMethod.MsChapV2, Assert.Single(pair.ServerEvents.OfType<Authenticated>()).Method);
        Assert.DoesNotContain(pair.Wire, w => !w.FromServer && IsLcp(w.Frame, PppCode.ConfigureNak));
    }

    [Fact]
    public void A_repeated_response_gets_the_same_success_and_no_second_event()
    {
        // RFC 1994 §4.2: a Response to an already answered Identifier gets the same answer again.
        var pair = MsChapV2Pair();
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        var response = pair.Wire.Single(w => !w.FromServer && IsChap(w.Frame, ChapCode.Response)).Frame;
        var success = pair.Wire.Single(w => w.FromServer && IsChap(w.Frame, ChapCode.Success)).Frame;

        pair.Inject(pair.Server, response);

        Assert.Equal(2, pair.Wire.Count(w => w.FromServer && w.Frame.AsSpan().SequenceEqual(success)));
        Assert.Single(pair.ServerEvents.OfType<Authenticated>());
        Assert.Single(pair.ClientEvents.OfType<Authenticated>());
        Assert.True(pair.BothReady);
    }

    [Fact]
    public void A_lost_success_is_recovered_by_the_peer_repeating_its_response()
    {
        var pair = MsChapV2Pair();
        var dropped = false;
        pair.TamperServer = frame =>
        {
            if (!dropped && IsChap(frame, ChapCode.Success))
            {
                dropped = true;
                return null;
            }
            return frame;
        };
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        Assert.True(dropped);
        var responses = pair.Wire.Where(w => !w.FromServer && IsChap(w.Frame, ChapCode.Response)).Select(w => w.Frame).ToList();
        Assert.Equal(2, responses.Count);
        Assert.Equal(responses[0], responses[1]);
        Assert.Single(pair.ClientEvents.OfType<Authenticated>());
        Assert.Single(pair.ServerEvents.OfType<Authenticated>());
    }

    [Fact]
    public void A_challenge_of_the_wrong_size_is_discarded_and_the_retransmission_answered()
    {
        // RFC 2759 §3: the Challenge Value-Size is 16.
        var pair = MsChapV2Pair();
        var shortened = false;
        pair.TamperServer = frame =>
        {
            if (!shortened && IsChap(frame, ChapCode.Challenge))
            {
                shortened = true;
                return Chap(ChapCode.Challenge, frame[5], [8, 1, 2, 3, 4, 5, 6, 7, 8, .. "relay"u8]);
            }
            return frame;
        };
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        Assert.Equal(1, pair.Client.Counters.AuthenticationDiscarded);
        Assert.Equal(pair.ServerOptions.RestartTimer, pair.Now);
        Assert.Single(pair.Wire, w => !w.FromServer && IsChap(w.Frame, ChapCode.Response));
    }

    [Fact]
    public void A_response_of_the_wrong_size_fails_without_a_secret_in_the_reason()
    {
        var pair = MsChapV2Pair();
        pair.TamperClient = frame => IsChap(frame, ChapCode.Response) ? Chap(ChapCode.Response, frame[5], [16, .. new byte[16], .. "alice"u8]) : frame;
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));
        var failed = Assert.Single(pair.ServerEvents.OfType<AuthenticationFailed>());
        Assert.Equal("alice", failed.User);
        Assert.StartsWith("malformed response", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_without_a_credential_for_the_authenticator_fails()
    {
        var pair = MsChapV2Pair(PppPair.DefaultClient() with { Credentials = new InMemoryCredentials().Add("alice", "elsewhere", "x") });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));
        Assert.Equal("no credential for MS-CHAPv2 towards relay", Assert.Single(pair.ClientEvents.OfType<AuthenticationFailed>()).Reason);
    }

    [Fact]
    public void Over_a_lossy_link_both_sides_agree_for_every_seed()
    {
        var ready = 0;
        for (var seed = 0; seed < 150; seed++)
        {
            var pair = MsChapV2Pair(seed: seed, loss: 0.2, duplication: 0.15, maxDelayMs: 400);
            pair.Open();
            Assert.True(pair.RunUntil(() => pair.BothReady || pair.BothFinished, TimeSpan.FromMinutes(15)), $"seed {seed}");
            // Duplicates and reordering must never make the peer doubt a genuine Success.
            Assert.DoesNotContain(pair.ClientEvents.OfType<AuthenticationFailed>(), f => f.Reason.Contains("authenticator response", StringComparison.Ordinal));
            Assert.DoesNotContain(pair.ServerEvents.OfType<AuthenticationFailed>(), f => f.Reason == "wrong response to challenge");
            if (pair.BothReady)
            {
                ready++;
                Assert.Equal(PppAuthMethod.MsChapV2, Assert.Single(pair.ServerEvents.OfType<Authenticated>()).Method);
                Assert.Single(pair.ClientEvents.OfType<Authenticated>());
                pair.Server.Close("test over", pair.Now);
            }
            Assert.True(pair.RunUntil(() => pair.BothFinished, TimeSpan.FromMinutes(15)), $"seed {seed}: not both finished after Close");
            Assert.Null(pair.Server.NextDeadline());
            Assert.Null(pair.Client.NextDeadline());
        }
        Assert.True(ready > 140, $"only {ready} of 150 came up");
    }

    [Fact]
    public void Over_a_lossy_link_a_wrong_password_never_brings_the_link_up()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var pair = MsChapV2Pair(PppPair.DefaultClient("alice", "guess"), seed, loss: 0.2, duplication: 0.15, maxDelayMs: 200);
            pair.Open();
            Assert.True(pair.RunUntil(() => pair.BothFinished, TimeSpan.FromMinutes(15)), $"seed {seed}");
            Assert.Empty(pair.ServerEvents.OfType<Authenticated>());
            Assert.Empty(pair.ServerEvents.OfType<NetworkReady>());
            Assert.Empty(pair.ClientEvents.OfType<NetworkReady>());
        }
    }

    internal static PppPair MsChapV2Pair(PppOptions? client = null, int seed = 0, double loss = 0, double duplication = 0, int maxDelayMs = 0)
        => new(PppPair.DefaultServer() with { AuthMethods = [PppAuthMethod.MsChapV2] },
            (client ?? PppPair.DefaultClient()) with { AuthMethods = [PppAuthMethod.MsChapV2] },
            seed, loss, duplication, maxDelayMs);

    private static List<(ChapCode Code, byte[] Information)> ChapPackets(PppPair pair)
        => pair.Wire.Where(w => IsChap(w.Frame)).Select(w => ((ChapCode)w.Frame[4], w.Frame[4..])).ToList();

    private static string Message((ChapCode Code, byte[] Information) packet) => Encoding.UTF8.GetString(packet.Information.AsSpan(4));

    private static bool IsChap(byte[] frame) => frame.Length >= 8 && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(2)) == PppProtocol.Chap;

    private static bool IsChap(byte[] frame, ChapCode code) => IsChap(frame) && frame[4] == (byte)code;

    private static bool IsLcp(byte[] frame, PppCode code)
        => frame.Length >= 8 && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(2)) == PppProtocol.Lcp && frame[4] == (byte)code;

    /// <summary>An FF03 CHAP frame with the given Code, Identifier and Data.</summary>
    private static byte[] Chap(ChapCode code, byte identifier, ReadOnlySpan<byte> data)
    {
        var frame = new byte[4 + 4 + data.Length];
        frame[0] = 0xFF;
        frame[1] = 0x03;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), PppProtocol.Chap);
        frame[4] = (byte)code;
        frame[5] = identifier;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(6), (ushort)(4 + data.Length));
        data.CopyTo(frame.AsSpan(8));
        return frame;
    }
}
