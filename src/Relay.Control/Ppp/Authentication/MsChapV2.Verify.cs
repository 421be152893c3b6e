using System.Security.Cryptography;

namespace Relay.Control.Ppp.Authentication;

public static partial class MsChapV2
{
    /// <summary>Message text of a Success packet built by <see cref="Verify"/>.</summary>
    public const string SuccessText = "Access granted";

    /// <summary>Message text of a Failure packet built by <see cref="Verify"/>.</summary>
    public const string FailureText = "Authentication failed";

    /// <summary>
    /// The authenticator's check (RFC 2759 §4–6): given the challenge it sent, the Response Value
    /// and Name the peer sent, and the stored password, either Success with the authenticator
    /// response, or Failure E=691 without retry (R=0; C= repeats the challenge sent). NT-Responses
    /// are compared in constant time. Never throws on peer input.
    /// </summary>
    public static MsChapV2Verification Verify(ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> responseValue,
        ReadOnlySpan<byte> userName, ReadOnlySpan<char> password) =>
        Verify(authenticatorChallenge, responseValue, userName, password, credential: null);

    internal static MsChapV2Verification Verify(ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> responseValue,
        ReadOnlySpan<byte> userName, ReadOnlySpan<char> password, PppCredential? credential)
    {
        RequireLength(authenticatorChallenge, ChallengeLength, nameof(authenticatorChallenge));
        if (ParseResponseValue(responseValue, out var response) != MsChapV2ResponseStatus.Ok)
        {
            return Fail(MsChapV2Outcome.MalformedResponse, authenticatorChallenge);
        }
        Span<byte> passwordHash = stackalloc byte[PasswordHashLength];
        Span<byte> challenge = stackalloc byte[ChallengeHashLength];
        Span<byte> expected = stackalloc byte[NtResponseLength];
        NtPasswordHash(password, passwordHash);
        ChallengeHash(response.PeerChallenge, authenticatorChallenge, userName, challenge);
        ChallengeResponse(challenge, passwordHash, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, response.NtResponse))
        {
            CryptographicOperations.ZeroMemory(passwordHash);
            return Fail(MsChapV2Outcome.WrongResponse, authenticatorChallenge);
        }
        Span<byte> authenticatorResponse = stackalloc byte[AuthenticatorResponseLength];
        GenerateAuthenticatorResponse(passwordHash, response.NtResponse, response.PeerChallenge, authenticatorChallenge, userName, authenticatorResponse);
        CryptographicOperations.ZeroMemory(passwordHash);
        return new MsChapV2Verification(MsChapV2Outcome.Success, FormatSuccessMessage(authenticatorResponse, SuccessText), credential);
    }

    internal static MsChapV2Verification Fail(MsChapV2Outcome outcome, ReadOnlySpan<byte> authenticatorChallenge) =>
        new(outcome, FormatFailureMessage(MsChapV2Error.AuthenticationFailure, retry: false, authenticatorChallenge, FailureText), null);
}
