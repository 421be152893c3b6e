namespace Relay.Control.Ppp;

/// <summary>The link is finished (LCP this-layer-finished): the L2TP session may be torn down.</summary>
public sealed record Terminated(string Reason) : PppEvent;
