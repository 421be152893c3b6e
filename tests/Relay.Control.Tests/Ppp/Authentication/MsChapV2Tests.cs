using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Relay.Control.Ppp.Authentication;

namespace Relay.Control.Tests.Ppp.Authentication;

public class MsChapV2Tests
{
    // RFC 2759 §9.2, Hash Example.
    private static readonly byte[] AuthenticatorChallenge = Convert.FromHexString("5B5D7C7D7B3F2F3E3C2C602132262628");
    private static readonly byte[] PeerChallenge = Convert.FromHexString("21402324255E262A28295F2B3A337C7E");
    private static readonly byte[] UserName = "User"u8.ToArray();
    private const string Password = "clientPass";
    private static readonly byte[] NtResponse = Convert.FromHexString("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
    private const string AuthenticatorResponse = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

    [Fact]
    public void Intermediate_values_match_RFC_2759_section_9_2()
    {
        var passwordHash = new byte[16];
        MsChapV2.NtPasswordHash(Password, passwordHash);
        Assert.Equal("44EBBA8D5312B8D611474411F56989AE", Convert.ToHexString(passwordHash));

        var challenge = new byte[8];
        MsChapV2.ChallengeHash(PeerChallenge, AuthenticatorChallenge, UserName, challenge);
        Assert.Equal("D02E4386BCE91226", Convert.ToHexString(challenge));

        var hashHash = new byte[16];
        Md4.HashData(passwordHash, hashHash);
        Assert.Equal("41C00C584BD2D91C4017A2A12FA59F3F", Convert.ToHexString(hashHash));
    }

    [Fact]
    public void NT_response_matches_RFC_2759_section_9_2()
    {
        Assert.Equal(NtResponse, MsChapV2.GenerateNtResponse(AuthenticatorChallenge, PeerChallenge, "User", Password));
    }

    [Fact]
    public void Authenticator_response_matches_RFC_2759_section_9_2()
    {
        Assert.Equal(AuthenticatorResponse, MsChapV2.GenerateAuthenticatorResponse(Password, NtResponse, PeerChallenge, AuthenticatorChallenge, "User"));
    }

    [Fact]
    public void Peer_accepts_the_RFC_authenticator_response_in_either_case_and_rejects_others()
    {
        bool Check(string received) => MsChapV2.CheckAuthenticatorResponse(Password, NtResponse, PeerChallenge, AuthenticatorChallenge, UserName, Encoding.ASCII.GetBytes(received));
        Assert.True(Check(AuthenticatorResponse));
        Assert.True(Check("S=" + AuthenticatorResponse[2..].ToLowerInvariant()));
        Assert.False(Check(AuthenticatorResponse[..^1] + "7"));
        Assert.False(Check(AuthenticatorResponse[..^1]));
        Assert.False(Check(""));
        Assert.False(MsChapV2.CheckAuthenticatorResponse("clientpass", NtResponse, PeerChallenge, AuthenticatorChallenge, UserName, Encoding.ASCII.GetBytes(AuthenticatorResponse)));
    }

    [Fact]
    public void Domain_prefix_is_left_out_of_the_challenge_hash()
    {
        // RFC 2759 §8.2: only the user name, without a prepended domain, is hashed.
        Assert.Equal(NtResponse, MsChapV2.GenerateNtResponse(AuthenticatorChallenge, PeerChallenge, "CORP\\User", Password));
    }

    [Fact]
    public void Verify_accepts_the_RFC_response_with_a_success_message()
    {
        var value = ResponseValue(PeerChallenge, NtResponse);
        var verdict = MsChapV2.Verify(AuthenticatorChallenge, value, UserName, Password);
        Assert.True(verdict.IsSuccess);
        Assert.Equal(AuthenticatorResponse + " M=" + MsChapV2.SuccessText, Encoding.ASCII.GetString(verdict.Message));
    }

    [Fact]
    public void Verify_rejects_a_wrong_password_with_E691_R0_and_the_challenge()
    {
        var value = ResponseValue(PeerChallenge, NtResponse);
        var verdict = MsChapV2.Verify(AuthenticatorChallenge, value, UserName, "wrong");
        Assert.Equal(MsChapV2Outcome.WrongResponse, verdict.Outcome);
        // RFC 2759 §6.
        Assert.Equal("E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=Authentication failed", Encoding.ASCII.GetString(verdict.Message));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(48)]
    [InlineData(50)]
    public void Verify_reports_a_response_value_of_the_wrong_length_as_malformed(int length)
    {
        var verdict = MsChapV2.Verify(AuthenticatorChallenge, new byte[length], UserName, Password);
        Assert.Equal(MsChapV2Outcome.MalformedResponse, verdict.Outcome);
        Assert.StartsWith("E=691 R=0 ", Encoding.ASCII.GetString(verdict.Message));
    }

    [Fact]
    public void Response_value_has_the_RFC_2759_section_4_layout()
    {
        var value = ResponseValue(PeerChallenge, NtResponse);
        Assert.Equal(49, value.Length);
        Assert.Equal(PeerChallenge, value[..16]);
        Assert.All(value[16..24], b => Assert.Equal(0, b));
        Assert.Equal(NtResponse, value[24..48]);
        Assert.Equal(0, value[48]);
        Assert.Equal(MsChapV2ResponseStatus.Ok, MsChapV2.ParseResponseValue(value, out var parsed));
        Assert.Equal(PeerChallenge, parsed.PeerChallenge.ToArray());
        Assert.Equal(NtResponse, parsed.NtResponse.ToArray());
        Assert.Equal(MsChapV2ResponseStatus.WrongLength, MsChapV2.ParseResponseValue(value.AsSpan(1), out _));
    }

    [Fact]
    public void Random_credentials_round_trip_between_peer_and_authenticator()
    {
        Gen.Select(Gen.Byte.Array[16], Gen.Byte.Array[16], Gen.String[Gen.Char.AlphaNumeric, 0, 40], Gen.String[0, 40])
            .Sample((authChallenge, peerChallenge, user, password) =>
            {
                var nt = MsChapV2.GenerateNtResponse(authChallenge, peerChallenge, user, password);
                var verdict = MsChapV2.Verify(authChallenge, ResponseValue(peerChallenge, nt), Encoding.UTF8.GetBytes(user), password);
                Assert.True(verdict.IsSuccess);
                Assert.True(MsChapV2.TryParseSuccessMessage(verdict.Message, out var authResponse, out var text));
                Assert.Equal(MsChapV2.SuccessText, Encoding.UTF8.GetString(text));
                Assert.True(MsChapV2.CheckAuthenticatorResponse(password, nt, peerChallenge, authChallenge, Encoding.UTF8.GetBytes(user), authResponse));
                Assert.False(MsChapV2.Verify(authChallenge, ResponseValue(peerChallenge, nt), Encoding.UTF8.GetBytes(user), password + "x").IsSuccess);
            }, iter: 200);
    }

    [Fact]
    public void Failure_message_parses_back()
    {
        var message = MsChapV2.FormatFailureMessage(MsChapV2Error.PasswordExpired, retry: true, AuthenticatorChallenge, "expired, see admin");
        Assert.True(MsChapV2.TryParseFailureMessage(message, out var failure));
        Assert.Equal(648, failure.Error);
        Assert.True(failure.Retry);
        Assert.Equal(AuthenticatorChallenge, failure.Challenge);
        Assert.Equal(3, failure.Version);
        Assert.Equal("expired, see admin", failure.Message);
    }

    [Theory]
    [InlineData("E=691 R=0 C=0000000000000000000000000000000 V=3 M=x")] // 31 digits
    [InlineData("R=0 E=691")]
    [InlineData("E=99999999999")]
    [InlineData("E=-1")]
    [InlineData("E=691 R=2")]
    [InlineData("E=691 X=1")]
    [InlineData("")]
    [InlineData("M=only")]
    public void Failure_parser_rejects_malformed_messages(string text)
    {
        Assert.False(MsChapV2.TryParseFailureMessage(Encoding.ASCII.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("S=407A5589115FD0D6209F510FE9C04566932CDA5")]
    [InlineData("S=407A5589115FD0D6209F510FE9C04566932CDA5G")]
    [InlineData("S=407A5589115FD0D6209F510FE9C04566932CDA56M=x")]
    [InlineData("E=691")]
    public void Success_parser_rejects_malformed_messages(string text)
    {
        Assert.False(MsChapV2.TryParseSuccessMessage(Encoding.ASCII.GetBytes(text), out _, out _));
    }

    [Fact]
    public void Success_parser_accepts_a_message_without_M()
    {
        Assert.True(MsChapV2.TryParseSuccessMessage(Encoding.ASCII.GetBytes(AuthenticatorResponse), out var response, out var text));
        Assert.Equal(AuthenticatorResponse, Encoding.ASCII.GetString(response));
        Assert.True(text.IsEmpty);
    }

    [Fact]
    public void Message_parsers_never_throw_on_random_octets()
    {
        Gen.Byte.Array[0, 120].Sample(bytes =>
        {
            MsChapV2.TryParseFailureMessage(bytes, out _);
            MsChapV2.TryParseSuccessMessage(bytes, out _, out _);
            MsChapV2.ParseResponseValue(bytes, out _);
        }, iter: 2000);
    }

    [Fact]
    public void Des_block_matches_the_platform_DES_for_random_keys()
    {
        // The platform DES is only a reference here (see MsChapV2.Des); skip where OpenSSL lacks it.
        using var des = DES.Create();
        try
        {
            des.Key = Convert.FromHexString("7CA110454A1A6E57");
            Assert.Equal("690F5B0D9A26939B", Convert.ToHexString(des.EncryptEcb(Convert.FromHexString("01A1D6D039776742"), PaddingMode.None)));
        }
        catch (CryptographicException)
        {
            return;
        }
        Gen.Select(Gen.Byte.Array[7], Gen.Byte.Array[8]).Sample((key7, clear) =>
        {
            var key = MsChapV2.Des.ExpandKey(key7);
            var keyBytes = BitConverter.GetBytes(key);
            if (BitConverter.IsLittleEndian)
            {
                Array.Reverse(keyBytes);
            }
            if (DES.IsWeakKey(keyBytes) || DES.IsSemiWeakKey(keyBytes))
            {
                return;
            }
            using var reference = DES.Create();
            reference.Key = keyBytes;
            var mine = new byte[8];
            MsChapV2.Des.EncryptBlock(key, clear, mine);
            Assert.Equal(reference.EncryptEcb(clear, PaddingMode.None), mine);
        }, iter: 500);
    }

    [Fact]
    public void Des_known_answer_and_the_weak_all_zero_key()
    {
        var cypher = new byte[8];
        MsChapV2.Des.EncryptBlock(0x7CA110454A1A6E57, Convert.FromHexString("01A1D6D039776742"), cypher);
        Assert.Equal("690F5B0D9A26939B", Convert.ToHexString(cypher));
        // Password hashes ending in 00 00 give the weak all-zero third key, which the platform
        // DES refuses; E(0, 0) is the well-known 8CA64DE9C1B123A7.
        MsChapV2.Des.EncryptBlock(MsChapV2.Des.ExpandKey(new byte[7]), new byte[8], cypher);
        Assert.Equal("8CA64DE9C1B123A7", Convert.ToHexString(cypher));
    }

    [Fact]
    public void Authenticator_exchange_looks_up_the_user_and_keeps_its_first_verdict()
    {
        var store = new SingleCredentialStore(new PppCredential("User", "relay", Password, []));
        var exchange = new MsChapV2Authenticator(AuthenticatorChallenge);
        var good = ResponseValue(PeerChallenge, NtResponse);

        var wrong = (byte[])good.Clone();
        wrong[30] ^= 1;
        var first = exchange.Verify(wrong, UserName, store, "relay");
        Assert.Equal(MsChapV2Outcome.WrongResponse, first.Outcome);
        // A second try on the same challenge cannot succeed.
        Assert.Same(first, exchange.Verify(good, UserName, store, "relay"));

        var fresh = new MsChapV2Authenticator(AuthenticatorChallenge);
        var verdict = fresh.Verify(good, UserName, store, "relay");
        Assert.True(verdict.IsSuccess);
        Assert.Equal("User", verdict.Credential!.Client);
        Assert.Equal(AuthenticatorResponse + " M=" + MsChapV2.SuccessText, Encoding.ASCII.GetString(verdict.Message));
    }

    [Fact]
    public void Authenticator_gives_unknown_and_non_UTF8_users_the_same_failure_as_a_wrong_password()
    {
        var store = new SingleCredentialStore(new PppCredential("User", "relay", Password, []));
        var good = ResponseValue(PeerChallenge, NtResponse);
        var unknown = new MsChapV2Authenticator(AuthenticatorChallenge).Verify(good, "Nobody"u8, store, "relay");
        var badUtf8 = new MsChapV2Authenticator(AuthenticatorChallenge).Verify(good, [0xC3, 0x28], store, "relay");
        var otherServer = new MsChapV2Authenticator(AuthenticatorChallenge).Verify(good, UserName, store, "other");
        var wrong = MsChapV2.Verify(AuthenticatorChallenge, good, UserName, "nope");
        Assert.Equal(MsChapV2Outcome.UnknownUser, unknown.Outcome);
        Assert.Equal(MsChapV2Outcome.UnknownUser, badUtf8.Outcome);
        Assert.Equal(MsChapV2Outcome.UnknownUser, otherServer.Outcome);
        Assert.Equal(wrong.Message, unknown.Message);
        Assert.Equal(wrong.Message, badUtf8.Message);
    }

    private static byte[] ResponseValue(byte[] peerChallenge, byte[] ntResponse)
    {
        var value = new byte[MsChapV2.ResponseValueLength];
        MsChapV2.WriteResponseValue(value, peerChallenge, ntResponse);
        return value;
    }

    private sealed class SingleCredentialStore(PppCredential credential) : ICredentialStore
    {
        public bool TryGetCredential(string client, string server, out PppCredential found)
        {
            found = credential;
            return client == credential.Client && server == credential.Server;
        }
    }
}
