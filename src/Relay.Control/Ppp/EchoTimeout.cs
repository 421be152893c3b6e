namespace Relay.Control.Ppp;

/// <summary>The peer left <paramref name="Unanswered"/> Echo-Requests in a row unanswered; the link terminates.</summary>
public sealed record EchoTimeout(int Unanswered) : PppEvent;
