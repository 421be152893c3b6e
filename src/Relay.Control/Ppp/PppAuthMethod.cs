namespace Relay.Control.Ppp;

/// <summary>
/// Authentication protocols as named in the configuration (<c>ppp.auth</c>), in the order the
/// authenticator offers them; <see cref="Authentication.AuthenticationProtocols"/> maps each to its
/// LCP option and protocol engines.
/// </summary>
public enum PppAuthMethod
{
    /// <summary>PAP, RFC 1334: protocol 0xC023.</summary>
    Pap,

    /// <summary>CHAP with MD5, RFC 1994: protocol 0xC223, algorithm 5.</summary>
    ChapMd5,

    /// <summary>MS-CHAPv2, RFC 2759: protocol 0xC223, algorithm 0x81.</summary>
    MsChapV2,
}
