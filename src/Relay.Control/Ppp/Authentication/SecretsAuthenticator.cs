using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// Judges requests against a secrets file (chap-secrets), synchronously: the credential of
/// (peer's name, our name) with pppd's matching rules, then PAP's password, CHAP-MD5's MD5
/// response (RFC 1994 §4.1) or MS-CHAPv2's NT-Response (RFC 2759 §4–6), compared in constant
/// time. Unknown users and wrong proofs look the same to the peer.
/// </summary>
public sealed class SecretsAuthenticator(ICredentialStore credentials) : IPppAuthenticator
{
    private readonly ICredentialStore _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));

    public PppAuthVerdict Authenticate(PppAuthRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method switch
        {
            PppAuthMethod.Pap => Pap(request),
            PppAuthMethod.ChapMd5 => ChapMd5(request),
            PppAuthMethod.MsChapV2 => MsChapV2(request),
            _ => PppAuthVerdict.Reject($"method {request.Method} is not supported by the secrets file"),
        };
    }

    private PppAuthVerdict Pap(PppAuthRequest request)
    {
        if (!_credentials.TryGetCredential(request.PeerName, request.LocalName, out var credential))
        {
            return PppAuthVerdict.Reject("unknown user");
        }
        var secret = Encoding.UTF8.GetBytes(credential.Secret);
        var match = CryptographicOperations.FixedTimeEquals(secret, request.Password.Span);
        CryptographicOperations.ZeroMemory(secret);
        return match ? PppAuthVerdict.Accept(credential) : PppAuthVerdict.Reject("wrong password");
    }

    private PppAuthVerdict ChapMd5(PppAuthRequest request)
    {
        if (!_credentials.TryGetCredential(request.PeerName, request.LocalName, out var credential))
        {
            return PppAuthVerdict.Reject("unknown user");
        }
        var expected = Authentication.ChapMd5.Response(request.Identifier, credential.Secret, request.Challenge.Span);
        return CryptographicOperations.FixedTimeEquals(expected, request.Response.Span)
            ? PppAuthVerdict.Accept(credential)
            : PppAuthVerdict.Reject("wrong response to challenge");
    }

    private PppAuthVerdict MsChapV2(PppAuthRequest request)
    {
        var challenge = request.Challenge.Span;
        if (challenge.Length != Authentication.MsChapV2.ChallengeLength)
        {
            return PppAuthVerdict.Reject($"MS-CHAPv2 challenge of {challenge.Length} octets, not {Authentication.MsChapV2.ChallengeLength}");
        }
        if (request.Response.Length != Authentication.MsChapV2.ResponseValueLength)
        {
            return PppAuthVerdict.Reject(MsChapV2AuthenticatorProtocol.MalformedReason(request.Response.Length),
                Authentication.MsChapV2.Fail(MsChapV2Outcome.MalformedResponse, challenge).Message);
        }
        var name = request.PeerNameOctets.Span;
        if (!Utf8.IsValid(name) || !_credentials.TryGetCredential(request.PeerName, request.LocalName, out var credential))
        {
            return PppAuthVerdict.Reject("unknown user", Authentication.MsChapV2.Fail(MsChapV2Outcome.UnknownUser, challenge).Message);
        }
        var verification = Authentication.MsChapV2.Verify(challenge, request.Response.Span, name, credential.Secret, credential);
        return verification.IsSuccess
            ? PppAuthVerdict.Accept(credential, verification.Message)
            : PppAuthVerdict.Reject("wrong response to challenge", verification.Message);
    }
}
