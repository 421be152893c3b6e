using Relay.Wire.Ppp;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// The seam between LCP's Authentication-Protocol option and the protocol engines: which
/// methods exist, how each is spelled in the option (RFC 1661 §6.2), and which engine runs it.
/// A method is negotiated only when <see cref="IsImplemented"/> says so, and then
/// <see cref="Create"/> has an engine for it in both roles.
/// </summary>
internal static class AuthenticationProtocols
{
    public static bool IsImplemented(PppAuthMethod method) => method is PppAuthMethod.Pap or PppAuthMethod.ChapMd5 or PppAuthMethod.MsChapV2;

    public static (ushort Protocol, byte Algorithm) OptionFor(PppAuthMethod method) => method switch
    {
        PppAuthMethod.Pap => (PppProtocol.Pap, 0),
        PppAuthMethod.ChapMd5 => (PppProtocol.Chap, ChapAlgorithm.Md5),
        PppAuthMethod.MsChapV2 => (PppProtocol.Chap, ChapAlgorithm.MsChapV2),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public static PppAuthMethod? MethodFor(ushort protocol, byte algorithm) => (protocol, algorithm) switch
    {
        (PppProtocol.Pap, _) => PppAuthMethod.Pap,
        (PppProtocol.Chap, ChapAlgorithm.Md5) => PppAuthMethod.ChapMd5,
        (PppProtocol.Chap, ChapAlgorithm.MsChapV2) => PppAuthMethod.MsChapV2,
        _ => null,
    };

    /// <summary>The engine for one method and role; null for a method without one.</summary>
    public static AuthenticationProtocol? Create(PppAuthMethod method, PppRole role, PppOptions options, IAuthenticationHost host) => (method, role) switch
    {
        (PppAuthMethod.Pap, PppRole.Authenticator) => new PapAuthenticator(options, host),
        (PppAuthMethod.Pap, PppRole.Peer) => new PapPeer(options, host),
        (PppAuthMethod.ChapMd5, PppRole.Authenticator) => new ChapMd5Authenticator(options, host),
        (PppAuthMethod.ChapMd5, PppRole.Peer) => new ChapMd5Peer(options, host),
        (PppAuthMethod.MsChapV2, PppRole.Authenticator) => new MsChapV2AuthenticatorProtocol(options, host),
        (PppAuthMethod.MsChapV2, PppRole.Peer) => new MsChapV2PeerProtocol(options, host),
        _ => null,
    };
}
