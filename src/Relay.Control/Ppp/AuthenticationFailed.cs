namespace Relay.Control.Ppp;

/// <summary>Authentication failed; the reason never contains a secret. LCP terminates next.</summary>
public sealed record AuthenticationFailed(string User, string Reason) : PppEvent
{
    /// <summary>The protocol the peer failed with, when authentication had got that far (metrics count failures by it).</summary>
    public PppAuthMethod? Method { get; init; }
}
