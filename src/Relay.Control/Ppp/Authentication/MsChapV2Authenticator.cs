using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// One MS-CHAPv2 exchange on the authenticator's side: the challenge it sent and, once a
/// Response has been judged, the verdict. The first verdict is final: a retransmitted or a
/// different Response gets the same answer again (RFC 1994 §4.2 expects the same reply to a
/// repeated Response), so one challenge can never be used to try a second password.
/// The CHAP identifier and retransmission belong to the caller's CHAP engine.
/// </summary>
public sealed class MsChapV2Authenticator
{
    private readonly byte[] _challenge;

    /// <param name="challenge">16 octets from a cryptographic random source (RFC 2759 §3).</param>
    public MsChapV2Authenticator(ReadOnlySpan<byte> challenge)
    {
        if (challenge.Length != MsChapV2.ChallengeLength)
        {
            throw new ArgumentException("An MS-CHAPv2 challenge is 16 octets.", nameof(challenge));
        }
        _challenge = challenge.ToArray();
    }

    /// <summary>An exchange with a fresh random challenge.</summary>
    public static MsChapV2Authenticator Create() => new(RandomNumberGenerator.GetBytes(MsChapV2.ChallengeLength));

    /// <summary>The Challenge Value to send (Value-Size 16).</summary>
    public ReadOnlySpan<byte> Challenge => _challenge;

    /// <summary>The verdict, once <see cref="Verify"/> has been called; null before.</summary>
    public MsChapV2Verification? Verdict { get; private set; }

    /// <summary>
    /// Judges a Response: <paramref name="name"/> is the CHAP Name field, looked up whole
    /// (domain included, as UTF-8) as the client in <paramref name="credentials"/>, with
    /// <paramref name="serverName"/> (our CHAP name) as the server. Unknown users get the same
    /// E=691 Failure as a wrong password.
    /// </summary>
    public MsChapV2Verification Verify(ReadOnlySpan<byte> responseValue, ReadOnlySpan<byte> name, ICredentialStore credentials, string serverName)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(serverName);
        if (Verdict is not null)
        {
            return Verdict;
        }
        if (responseValue.Length != MsChapV2.ResponseValueLength)
        {
            Verdict = MsChapV2.Fail(MsChapV2Outcome.MalformedResponse, _challenge);
        }
        else if (!Utf8.IsValid(name) || !credentials.TryGetCredential(Encoding.UTF8.GetString(name), serverName, out var credential))
        {
            Verdict = MsChapV2.Fail(MsChapV2Outcome.UnknownUser, _challenge);
        }
        else
        {
            Verdict = MsChapV2.Verify(_challenge, responseValue, name, credential.Secret, credential);
        }
        return Verdict;
    }
}
