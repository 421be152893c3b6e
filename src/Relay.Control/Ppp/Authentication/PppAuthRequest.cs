using System.Text;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// One proof the peer sent, for an <see cref="IPppAuthenticator"/>: the method, the peer's name
/// (PAP Peer-ID, CHAP Name), our name, and the material: the PAP Password (RFC 1334 §2.2.1);
/// the CHAP Identifier, our Challenge Value and the peer's Response Value (RFC 1994 §4.1); for
/// MS-CHAPv2 the authenticator challenge and the 49-octet Response Value (RFC 2759 §4). The
/// octets are copies, safe to keep after the call. <see cref="ToString"/> shows no material.
/// </summary>
public sealed class PppAuthRequest
{
    private PppAuthRequest(PppAuthMethod method, ReadOnlySpan<byte> peerName, string localName)
    {
        ArgumentNullException.ThrowIfNull(localName);
        Method = method;
        PeerNameOctets = peerName.ToArray();
        PeerName = Encoding.UTF8.GetString(peerName);
        LocalName = localName;
    }

    /// <summary>
    /// Set by the session before the authenticator sees the request, unique within the session;
    /// the key for <see cref="PppSession.CompleteAuthentication"/>.
    /// </summary>
    public long Id { get; internal set; }

    public PppAuthMethod Method { get; }

    /// <summary>The peer's name decoded as UTF-8 (invalid octets replaced): the client in a secrets file, the RADIUS User-Name.</summary>
    public string PeerName { get; }

    /// <summary>The peer's name as sent (MS-CHAPv2 hashes these octets, RFC 2759 §8.2).</summary>
    public ReadOnlyMemory<byte> PeerNameOctets { get; }

    /// <summary>Our name (<see cref="PppOptions.Name"/>): the server in a secrets file.</summary>
    public string LocalName { get; }

    /// <summary>PAP: the Password; empty otherwise.</summary>
    public ReadOnlyMemory<byte> Password { get; private init; }

    /// <summary>CHAP-MD5 and MS-CHAPv2: the Identifier of our Challenge and the peer's Response.</summary>
    public byte Identifier { get; private init; }

    /// <summary>CHAP-MD5: our Challenge Value; MS-CHAPv2: the 16-octet authenticator challenge. Empty for PAP.</summary>
    public ReadOnlyMemory<byte> Challenge { get; private init; }

    /// <summary>CHAP-MD5: the Response Value (16 octets when well formed); MS-CHAPv2: the 49-octet Response Value. Empty for PAP.</summary>
    public ReadOnlyMemory<byte> Response { get; private init; }

    public static PppAuthRequest ForPap(string localName, ReadOnlySpan<byte> peerId, ReadOnlySpan<byte> password) =>
        new(PppAuthMethod.Pap, peerId, localName) { Password = password.ToArray() };

    public static PppAuthRequest ForChapMd5(string localName, ReadOnlySpan<byte> name, byte identifier, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> response) =>
        new(PppAuthMethod.ChapMd5, name, localName) { Identifier = identifier, Challenge = challenge.ToArray(), Response = response.ToArray() };

    public static PppAuthRequest ForMsChapV2(string localName, ReadOnlySpan<byte> name, byte identifier, ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> responseValue) =>
        new(PppAuthMethod.MsChapV2, name, localName) { Identifier = identifier, Challenge = authenticatorChallenge.ToArray(), Response = responseValue.ToArray() };

    public override string ToString() => $"#{Id} {Method} \"{PeerName}\" to \"{LocalName}\"";
}
