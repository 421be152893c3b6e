namespace Relay.Control.Ppp;

/// <summary>
/// Authenticator: the back end took the peer's proof and will answer later; the exchange is
/// parked until <see cref="PppSession.CompleteAuthentication"/> with <paramref name="RequestId"/>
/// or the authentication timeout.
/// </summary>
public sealed record AuthenticationPending(long RequestId, string User, PppAuthMethod Method) : PppEvent;
