using System.Buffers.Text;
using System.Text;

namespace Relay.Control.Ppp.Authentication;

public static partial class MsChapV2
{
    /// <summary>Version the Failure message announces (§6: "V=3").</summary>
    public const int FailureVersion = 3;

    private const int ChallengeHexLength = 2 * ChallengeLength;

    /// <summary>
    /// Writes the 49-octet Response Value (§4): Peer-Challenge, 8 reserved zero octets,
    /// NT-Response, Flags 0. Returns <see cref="ResponseValueLength"/>.
    /// </summary>
    public static int WriteResponseValue(Span<byte> destination, ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> ntResponse)
    {
        RequireLength(peerChallenge, ChallengeLength, nameof(peerChallenge));
        RequireLength(ntResponse, NtResponseLength, nameof(ntResponse));
        if (destination.Length < ResponseValueLength)
        {
            ThrowWrongLength(nameof(destination), ResponseValueLength);
        }
        var value = destination[..ResponseValueLength];
        value.Clear();
        peerChallenge.CopyTo(value);
        ntResponse.CopyTo(value[MsChapV2ResponseValue.NtResponseOffset..]);
        return ResponseValueLength;
    }

    /// <summary>
    /// Reads a Response Value (§4) sent by the peer. Only the length is checked: the Reserved
    /// octets and Flags "MUST be zero" but take no part in the hashes, so non-zero values are
    /// ignored rather than failing an otherwise correct response.
    /// </summary>
    public static MsChapV2ResponseStatus ParseResponseValue(ReadOnlySpan<byte> value, out MsChapV2ResponseValue response)
    {
        if (value.Length != ResponseValueLength)
        {
            response = default;
            return MsChapV2ResponseStatus.WrongLength;
        }
        response = new MsChapV2ResponseValue(value);
        return MsChapV2ResponseStatus.Ok;
    }

    /// <summary>
    /// The Success message (§5): <c>S=&lt;auth_string&gt; M=&lt;message&gt;</c>, the message in UTF-8
    /// (omitted with its " M=" when empty).
    /// </summary>
    public static byte[] FormatSuccessMessage(ReadOnlySpan<byte> authenticatorResponse, string message)
    {
        RequireLength(authenticatorResponse, AuthenticatorResponseLength, nameof(authenticatorResponse));
        var text = message.Length == 0 ? [] : Encoding.UTF8.GetBytes(" M=" + message);
        var result = new byte[AuthenticatorResponseLength + text.Length];
        authenticatorResponse.CopyTo(result);
        text.CopyTo(result, AuthenticatorResponseLength);
        return result;
    }

    /// <summary>
    /// Reads a Success message (§5) from the authenticator: <paramref name="authenticatorResponse"/>
    /// is the 42 octets "S=..." to give to <see cref="CheckAuthenticatorResponse"/>, <paramref name="text"/>
    /// what follows " M=" (empty when absent). False when the message does not start with "S=" and
    /// 40 hexadecimal digits followed by the end or a space.
    /// </summary>
    public static bool TryParseSuccessMessage(ReadOnlySpan<byte> message, out ReadOnlySpan<byte> authenticatorResponse, out ReadOnlySpan<byte> text)
    {
        authenticatorResponse = default;
        text = default;
        if (message.Length < AuthenticatorResponseLength || !message.StartsWith("S="u8)
            || !IsHex(message[2..AuthenticatorResponseLength])
            || (message.Length > AuthenticatorResponseLength && message[AuthenticatorResponseLength] != (byte)' '))
        {
            return false;
        }
        authenticatorResponse = message[..AuthenticatorResponseLength];
        var rest = message[AuthenticatorResponseLength..].TrimStart((byte)' ');
        text = rest.StartsWith("M="u8) ? rest[2..] : rest;
        return true;
    }

    /// <summary>
    /// The Failure message (§6): <c>E=&lt;error&gt; R=&lt;0|1&gt; C=&lt;32 hex digits&gt; V=3 M=&lt;message&gt;</c>.
    /// <paramref name="challenge"/> is the 16-octet challenge a retry would use (§6; required even
    /// when <paramref name="retry"/> is false).
    /// </summary>
    public static byte[] FormatFailureMessage(int error, bool retry, ReadOnlySpan<byte> challenge, string message)
    {
        RequireLength(challenge, ChallengeLength, nameof(challenge));
        Span<byte> hex = stackalloc byte[ChallengeHexLength];
        WriteHex(challenge, hex);
        var text = $"E={error} R={(retry ? 1 : 0)} C={Encoding.ASCII.GetString(hex)} V={FailureVersion} M={message}";
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>
    /// Reads a Failure message (§6) from the authenticator. "E=" must come first; R, C and V are
    /// read when present ("C=" must then be 32 hexadecimal digits) and "M=" takes the rest of the
    /// message. False, without throwing, on anything else.
    /// </summary>
    public static bool TryParseFailureMessage(ReadOnlySpan<byte> message, out MsChapV2Failure failure)
    {
        failure = default;
        int error = 0, version = 0;
        var retry = false;
        var challenge = ReadOnlySpan<byte>.Empty;
        var text = ReadOnlySpan<byte>.Empty;
        var first = true;
        var rest = message;
        while (!rest.IsEmpty)
        {
            rest = rest.TrimStart((byte)' ');
            if (rest.IsEmpty)
            {
                break;
            }
            if (rest.StartsWith("M="u8))
            {
                text = rest[2..];
                break;
            }
            var end = rest.IndexOf((byte)' ');
            var field = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[end..];
            if (field.Length < 2 || field[1] != (byte)'=' || first != (field[0] == (byte)'E'))
            {
                return false;
            }
            var content = field[2..];
            var ok = field[0] switch
            {
                (byte)'E' => Utf8Parser.TryParse(content, out error, out var used) && used == content.Length && error >= 0,
                (byte)'R' => content.Length == 1 && content[0] is (byte)'0' or (byte)'1',
                (byte)'C' => content.Length == ChallengeHexLength && IsHex(content),
                (byte)'V' => Utf8Parser.TryParse(content, out version, out var usedVersion) && usedVersion == content.Length && version >= 0,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
            if (field[0] == (byte)'R')
            {
                retry = content[0] == (byte)'1';
            }
            else if (field[0] == (byte)'C')
            {
                challenge = content;
            }
            first = false;
        }
        if (first)
        {
            return false;
        }
        failure = new MsChapV2Failure(error, retry, challenge.IsEmpty ? null : Convert.FromHexString(Encoding.ASCII.GetString(challenge)),
            version, Encoding.UTF8.GetString(text));
        return true;
    }

    private static bool IsHex(ReadOnlySpan<byte> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit((char)c))
            {
                return false;
            }
        }
        return true;
    }
}
