namespace Relay.Control.Ppp.Authentication;

/// <summary>What an authentication engine needs from its session.</summary>
internal interface IAuthenticationHost
{
    /// <summary>Sends one packet (Code, Identifier, Length, Data) of the given protocol.</summary>
    void SendAuthentication(ushort protocol, ReadOnlySpan<byte> packet);

    /// <summary>Fills <paramref name="destination"/> with random octets (challenges, identifiers).</summary>
    void FillRandom(Span<byte> destination);

    /// <summary>Authentication succeeded; <paramref name="credential"/> is the authenticator's matching line.</summary>
    void AuthenticationSucceeded(string user, PppCredential? credential, TimeSpan now);

    /// <summary>Authentication failed; <paramref name="reason"/> must not contain a secret.</summary>
    void AuthenticationFailed(string user, string reason, TimeSpan now);

    PppCounters Counters { get; }
}
