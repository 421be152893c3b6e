namespace Relay.Control.Ppp;

/// <summary>LCP reached Opened (RFC 1661 §3.4); authentication comes next.</summary>
public sealed record LinkOpened(int PeerMru, PppAuthMethod? AuthMethod) : PppEvent;
