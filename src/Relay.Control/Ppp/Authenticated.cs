namespace Relay.Control.Ppp;

/// <summary>
/// Authentication succeeded (RFC 1661 §3.5). Authenticator: <paramref name="User"/> is the
/// peer's name and <paramref name="Credential"/> its matching secrets line (for static
/// addresses). Peer: our own name, credential null.
/// </summary>
public sealed record Authenticated(string User, PppAuthMethod Method, Authentication.PppCredential? Credential) : PppEvent;
