namespace Relay.Control.Ppp;

/// <summary>
/// Authentication succeeded (RFC 1661 §3.5). Authenticator: <paramref name="User"/> is the
/// peer's name, <paramref name="Credential"/> its matching secrets line when a secrets file
/// judged (null from a back end that holds no secrets), and <see cref="Addresses"/> what the
/// verdict allows (for static addresses). Peer: our own name, credential null, no addresses.
/// </summary>
public sealed record Authenticated(string User, PppAuthMethod Method, Authentication.PppCredential? Credential) : PppEvent
{
    /// <summary>The addresses the user may use, as in a secrets file: empty = any from the pools, one = static, <c>-</c> = none.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = Credential?.Addresses ?? [];
}
