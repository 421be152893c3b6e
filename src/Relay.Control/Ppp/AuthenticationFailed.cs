namespace Relay.Control.Ppp;

/// <summary>Authentication failed; the reason never contains a secret. LCP terminates next.</summary>
public sealed record AuthenticationFailed(string User, string Reason) : PppEvent;
