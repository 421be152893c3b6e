namespace Relay.Control.Ppp.Authentication;

/// <summary>What an authentication engine needs from its session.</summary>
internal interface IAuthenticationHost
{
    /// <summary>Sends one packet (Code, Identifier, Length, Data) of the given protocol.</summary>
    void SendAuthentication(ushort protocol, ReadOnlySpan<byte> packet);

    /// <summary>Fills <paramref name="destination"/> with random octets (challenges, identifiers).</summary>
    void FillRandom(Span<byte> destination);

    /// <summary>
    /// Authenticator: asks the configured <see cref="IPppAuthenticator"/> (numbering the request
    /// first); a pending verdict is announced as <see cref="AuthenticationPending"/>.
    /// </summary>
    PppAuthVerdict Authenticate(PppAuthRequest request, TimeSpan now);

    /// <summary>Authentication succeeded; <paramref name="verdict"/> is the authenticator's accept (null on the peer side).</summary>
    void AuthenticationSucceeded(string user, PppAuthVerdict? verdict, TimeSpan now);

    /// <summary>Authentication failed; <paramref name="reason"/> must not contain a secret.</summary>
    void AuthenticationFailed(string user, string reason, TimeSpan now);

    PppCounters Counters { get; }
}
