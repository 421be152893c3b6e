using System.Security.Cryptography;

namespace Relay.Control.L2tp;

/// <summary>
/// The CHAP-style tunnel authentication of RFC 2661 §4.4.3 / §5.1.1: the response is
/// MD5(ID + secret + challenge), where ID is the Message Type of the message carrying the
/// response (SCCRP = 2, SCCCN = 3).
/// </summary>
public static class TunnelAuthentication
{
    public const int ResponseLength = 16;

    public static byte[] ComputeResponse(byte messageType, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> challenge)
    {
        var input = new byte[1 + secret.Length + challenge.Length];
        input[0] = messageType;
        secret.CopyTo(input.AsSpan(1));
        challenge.CopyTo(input.AsSpan(1 + secret.Length));
        return MD5.HashData(input);
    }

    public static bool Verify(byte messageType, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> response)
        => response.Length == ResponseLength
           && CryptographicOperations.FixedTimeEquals(ComputeResponse(messageType, secret, challenge), response);
}
