using System.Net;
using Relay.Control.Ppp.Authentication;

namespace Relay.Control.Ppp;

/// <summary>What one PPP session needs to know; relayd and relay-client map their configuration onto this.</summary>
public sealed record PppOptions
{
    public PppRole Role { get; init; } = PppRole.Authenticator;

    /// <summary>
    /// Our name: the CHAP Name in our Challenges (authenticator) or Responses (peer), and the
    /// PAP Peer-ID the peer sends. Credentials are looked up with it (see <see cref="Credentials"/>).
    /// </summary>
    public string Name { get; init; } = "relay";

    /// <summary>
    /// The authenticator's name as the peer knows it, for PAP (which carries no server name)
    /// and for CHAP when the Challenge carries an empty Name; <c>*</c> matches any.
    /// </summary>
    public string RemoteName { get; init; } = "*";

    /// <summary>
    /// Authenticator: the methods demanded, in order of preference (<c>ppp.auth</c>); empty means
    /// no authentication. Peer: the methods it is willing to use, in order of preference.
    /// </summary>
    public IReadOnlyList<PppAuthMethod> AuthMethods { get; init; } = [PppAuthMethod.ChapMd5, PppAuthMethod.Pap];

    /// <summary>
    /// Authenticator: client = the peer's PAP Peer-ID / CHAP Name, server = <see cref="Name"/>;
    /// a convenience judged through a <see cref="SecretsAuthenticator"/> when
    /// <see cref="Authenticator"/> is not set. Peer: client = <see cref="Name"/>, server = the
    /// challenger's name (or <see cref="RemoteName"/>).
    /// </summary>
    public ICredentialStore? Credentials { get; init; }

    /// <summary>
    /// Authenticator: judges the peer's proof (a secrets file, a RADIUS back end); takes
    /// precedence over <see cref="Credentials"/>. Neither set: every peer is rejected. Peer: ignored.
    /// </summary>
    public IPppAuthenticator? Authenticator { get; init; }

    /// <summary>
    /// How long authentication may take from LCP opening to the verdict, including a pending
    /// back end's answer; null = <see cref="RestartTimer"/> × <see cref="MaxConfigure"/>.
    /// </summary>
    public TimeSpan? AuthenticationTimeout { get; init; }

    /// <summary>
    /// The MRU we ask for and the largest we accept to use (RFC 1661 §6.1). 1400 leaves room for
    /// the outer IPv4 (20) + UDP (8) + L2TP (up to 16) + PPP (4) headers inside a 1500-octet
    /// path MTU with margin for a PPPoE or VPN hop on the way.
    /// </summary>
    public ushort Mru { get; init; } = 1400;

    /// <summary>Peer MRUs below this are Nak'd up to it: 576 is the datagram every IPv4 host must accept (RFC 791 §3.1).</summary>
    public ushort MinimumMru { get; init; } = 576;

    /// <summary>Echo-Request keepalive period once LCP is Opened (RFC 1661 §5.8); zero disables it.</summary>
    public TimeSpan EchoInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Unanswered Echo-Requests in a row after which the peer is declared dead.</summary>
    public int EchoFailures { get; init; } = 4;

    /// <summary>The restart timer (RFC 1661 §4.6), also the PAP/CHAP retransmission period.</summary>
    public TimeSpan RestartTimer { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Terminate-Requests sent without an Ack before giving up (§4.6).</summary>
    public int MaxTerminate { get; init; } = 2;

    /// <summary>Configure-Requests sent without a reply before giving up (§4.6); also PAP/CHAP transmissions.</summary>
    public int MaxConfigure { get; init; } = 10;

    /// <summary>Configure-Naks sent without an Ack before Naks become Rejects (§4.6); also Magic-Number collisions before a loop is declared.</summary>
    public int MaxFailure { get; init; } = 5;

    /// <summary>Authenticator: our own address in IPCP (RFC 1332 §3.3). Peer: ignored.</summary>
    public IPAddress? ServerAddress { get; init; }

    /// <summary>Authenticator: the DNS servers handed out (RFC 1877 §1, §3); empty rejects the options.</summary>
    public IReadOnlyList<IPAddress> DnsServers { get; init; } = [];

    /// <summary>Peer: ask for DNS servers in IPCP (RFC 1877).</summary>
    public bool RequestDns { get; init; } = true;
}
