using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// MS-CHAPv2 (RFC 2759): the hashes of §8 as pure functions, the 49-octet Response Value of §4
/// and the Success/Failure messages of §5–6 (in <c>MsChapV2.Messages.cs</c>).
/// <para>
/// User names are the octets of the CHAP Name field as sent (RFC 2759 §4); a prepended
/// <c>DOMAIN\</c> is left out of the challenge hash, as §8.2 requires. Passwords are hashed as
/// UTF-16LE (§8.3). Spans of the wrong length are a caller's bug and throw
/// <see cref="ArgumentException"/>; nothing a peer sends can make these methods throw, because
/// peer octets come in through <see cref="ParseResponseValue"/> and the message parsers, which
/// return a status.
/// </para>
/// </summary>
public static partial class MsChapV2
{
    /// <summary>Authenticator and Peer challenges are 16 octets (§3, §4).</summary>
    public const int ChallengeLength = 16;

    public const int NtResponseLength = 24;

    /// <summary>Value-Size of the Response packet (§4).</summary>
    public const int ResponseValueLength = 49;

    /// <summary>"S=" and 40 hexadecimal digits (§5).</summary>
    public const int AuthenticatorResponseLength = 42;

    internal const int PasswordHashLength = 16;

    private const int ChallengeHashLength = 8;

    private static ReadOnlySpan<byte> Magic1 => "Magic server to client signing constant"u8;

    private static ReadOnlySpan<byte> Magic2 => "Pad to make it do more than one iteration"u8;

    /// <summary>GenerateNTResponse (RFC 2759 §8.1): the 24-octet NT-Response the peer sends.</summary>
    public static void GenerateNtResponse(ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> peerChallenge,
        ReadOnlySpan<byte> userName, ReadOnlySpan<char> password, Span<byte> ntResponse)
    {
        RequireLength(authenticatorChallenge, ChallengeLength, nameof(authenticatorChallenge));
        RequireLength(peerChallenge, ChallengeLength, nameof(peerChallenge));
        RequireLength(ntResponse, NtResponseLength, nameof(ntResponse));
        Span<byte> challenge = stackalloc byte[ChallengeHashLength];
        Span<byte> passwordHash = stackalloc byte[PasswordHashLength];
        ChallengeHash(peerChallenge, authenticatorChallenge, userName, challenge);
        NtPasswordHash(password, passwordHash);
        ChallengeResponse(challenge, passwordHash, ntResponse);
        CryptographicOperations.ZeroMemory(passwordHash);
    }

    /// <inheritdoc cref="GenerateNtResponse(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{char}, Span{byte})"/>
    public static byte[] GenerateNtResponse(ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> peerChallenge,
        string userName, string password)
    {
        var ntResponse = new byte[NtResponseLength];
        GenerateNtResponse(authenticatorChallenge, peerChallenge, Encoding.UTF8.GetBytes(userName), password, ntResponse);
        return ntResponse;
    }

    /// <summary>
    /// GenerateAuthenticatorResponse (RFC 2759 §8.7): the ASCII "S=" followed by 40 uppercase
    /// hexadecimal digits, 42 octets, that the authenticator returns in its Success message.
    /// </summary>
    public static void GenerateAuthenticatorResponse(ReadOnlySpan<char> password, ReadOnlySpan<byte> ntResponse,
        ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> userName,
        Span<byte> authenticatorResponse)
    {
        Span<byte> passwordHash = stackalloc byte[PasswordHashLength];
        NtPasswordHash(password, passwordHash);
        GenerateAuthenticatorResponse(passwordHash, ntResponse, peerChallenge, authenticatorChallenge, userName, authenticatorResponse);
        CryptographicOperations.ZeroMemory(passwordHash);
    }

    /// <inheritdoc cref="GenerateAuthenticatorResponse(ReadOnlySpan{char}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>
    public static string GenerateAuthenticatorResponse(string password, ReadOnlySpan<byte> ntResponse,
        ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> authenticatorChallenge, string userName)
    {
        Span<byte> response = stackalloc byte[AuthenticatorResponseLength];
        GenerateAuthenticatorResponse(password, ntResponse, peerChallenge, authenticatorChallenge, Encoding.UTF8.GetBytes(userName), response);
        return Encoding.ASCII.GetString(response);
    }

    /// <summary>
    /// CheckAuthenticatorResponse (RFC 2759 §8.8), for the peer: whether the "S=..." the
    /// authenticator sent proves it knows the password. Comparison in constant time; any
    /// <paramref name="receivedResponse"/> (peer input) is accepted, a wrong length is false.
    /// Hexadecimal digits are compared case-insensitively.
    /// </summary>
    public static bool CheckAuthenticatorResponse(ReadOnlySpan<char> password, ReadOnlySpan<byte> ntResponse,
        ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> userName,
        ReadOnlySpan<byte> receivedResponse)
    {
        Span<byte> expected = stackalloc byte[AuthenticatorResponseLength];
        GenerateAuthenticatorResponse(password, ntResponse, peerChallenge, authenticatorChallenge, userName, expected);
        if (receivedResponse.Length != AuthenticatorResponseLength)
        {
            return false;
        }
        Span<byte> received = stackalloc byte[AuthenticatorResponseLength];
        for (var i = 0; i < received.Length; i++)
        {
            var c = receivedResponse[i];
            received[i] = c is >= (byte)'a' and <= (byte)'f' ? (byte)(c - 32) : c;
        }
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    /// <summary>NtPasswordHash (RFC 2759 §8.3): MD4 of the UTF-16LE password.</summary>
    internal static void NtPasswordHash(ReadOnlySpan<char> password, Span<byte> passwordHash)
    {
        RequireLength(passwordHash, PasswordHashLength, nameof(passwordHash));
        var length = Encoding.Unicode.GetByteCount(password);
        Span<byte> unicode = length <= 512 ? stackalloc byte[512] : new byte[length];
        unicode = unicode[..Encoding.Unicode.GetBytes(password, unicode)];
        Md4.HashData(unicode, passwordHash);
        CryptographicOperations.ZeroMemory(unicode);
    }

    /// <summary>ChallengeHash (RFC 2759 §8.2): the first 8 octets of SHA-1(peer, authenticator, user name without domain).</summary>
    internal static void ChallengeHash(ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> authenticatorChallenge,
        ReadOnlySpan<byte> userName, Span<byte> challenge)
    {
        var user = WithoutDomain(userName);
        var length = 2 * ChallengeLength + user.Length;
        Span<byte> input = length <= 512 ? stackalloc byte[512] : new byte[length];
        input = input[..length];
        peerChallenge.CopyTo(input);
        authenticatorChallenge.CopyTo(input[ChallengeLength..]);
        user.CopyTo(input[(2 * ChallengeLength)..]);
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, digest);
        digest[..ChallengeHashLength].CopyTo(challenge);
    }

    /// <summary>ChallengeResponse (RFC 2759 §8.5): the hash, zero-padded to 21 octets, as three 7-octet DES keys over the challenge.</summary>
    internal static void ChallengeResponse(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> passwordHash, Span<byte> response)
    {
        Span<byte> keys = stackalloc byte[21];
        keys.Clear();
        passwordHash.CopyTo(keys);
        for (var i = 0; i < 3; i++)
        {
            Des.EncryptBlock(Des.ExpandKey(keys.Slice(7 * i, 7)), challenge, response.Slice(8 * i, 8));
        }
        CryptographicOperations.ZeroMemory(keys);
    }

    /// <summary>GenerateAuthenticatorResponse (§8.7) from the password hash.</summary>
    internal static void GenerateAuthenticatorResponse(ReadOnlySpan<byte> passwordHash, ReadOnlySpan<byte> ntResponse,
        ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> userName,
        Span<byte> authenticatorResponse)
    {
        RequireLength(ntResponse, NtResponseLength, nameof(ntResponse));
        RequireLength(peerChallenge, ChallengeLength, nameof(peerChallenge));
        RequireLength(authenticatorChallenge, ChallengeLength, nameof(authenticatorChallenge));
        RequireLength(authenticatorResponse, AuthenticatorResponseLength, nameof(authenticatorResponse));

        Span<byte> input = stackalloc byte[Md4.HashSize + NtResponseLength + 39];
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];

        // Digest = SHA1(MD4(PasswordHash) || NT-Response || Magic1)
        var first = input[..(Md4.HashSize + NtResponseLength + Magic1.Length)];
        Md4.HashData(passwordHash, first);
        ntResponse.CopyTo(first[Md4.HashSize..]);
        Magic1.CopyTo(first[(Md4.HashSize + NtResponseLength)..]);
        SHA1.HashData(first, digest);

        // Digest = SHA1(Digest || ChallengeHash || Magic2)
        var second = input[..(SHA1.HashSizeInBytes + ChallengeHashLength + Magic2.Length)];
        digest.CopyTo(second);
        ChallengeHash(peerChallenge, authenticatorChallenge, userName, second.Slice(SHA1.HashSizeInBytes, ChallengeHashLength));
        Magic2.CopyTo(second[(SHA1.HashSizeInBytes + ChallengeHashLength)..]);
        SHA1.HashData(second, digest);

        authenticatorResponse[0] = (byte)'S';
        authenticatorResponse[1] = (byte)'=';
        WriteHex(digest, authenticatorResponse[2..]);
        CryptographicOperations.ZeroMemory(input);
    }

    /// <summary>The user name without a prepended Windows domain ("DOMAIN\user" → "user"), RFC 2759 §8.2.</summary>
    internal static ReadOnlySpan<byte> WithoutDomain(ReadOnlySpan<byte> userName)
    {
        var backslash = userName.LastIndexOf((byte)'\\');
        return backslash < 0 ? userName : userName[(backslash + 1)..];
    }

    private static void WriteHex(ReadOnlySpan<byte> octets, Span<byte> destination)
    {
        for (var i = 0; i < octets.Length; i++)
        {
            destination[2 * i] = HexDigit(octets[i] >> 4);
            destination[2 * i + 1] = HexDigit(octets[i] & 0xF);
        }
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'A' + value - 10);

    private static void RequireLength<T>(ReadOnlySpan<T> span, int length, string name)
    {
        if (span.Length != length)
        {
            ThrowWrongLength(name, length);
        }
    }

    private static void RequireLength<T>(Span<T> span, int length, string name) => RequireLength((ReadOnlySpan<T>)span, length, name);

    [DoesNotReturn]
    private static void ThrowWrongLength(string name, int length) =>
        throw new ArgumentException($"Must be exactly {length} long.", name);
}
