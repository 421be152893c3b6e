using System.Security.Cryptography;
using System.Text;

namespace Relay.Control.Ppp.Authentication;

/// <summary>The CHAP-MD5 response (RFC 1994 §4.1, algorithm 5): MD5 over Identifier, secret, challenge.</summary>
internal static class ChapMd5
{
    public const int ChallengeLength = 16;

    public static byte[] Response(byte identifier, string secret, ReadOnlySpan<byte> challenge)
    {
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var input = new byte[1 + secretBytes.Length + challenge.Length];
        input[0] = identifier;
        secretBytes.CopyTo(input, 1);
        challenge.CopyTo(input.AsSpan(1 + secretBytes.Length));
#pragma warning disable CA5351 // MD5 is what RFC 1994 algorithm 5 is; no choice here.
        var hash = MD5.HashData(input);
#pragma warning restore CA5351
        CryptographicOperations.ZeroMemory(secretBytes);
        CryptographicOperations.ZeroMemory(input);
        return hash;
    }
}
