namespace Relay.Control.L2tp;

/// <summary>What the L2TP engine tells the layers above (PPP, forwarding table, API).</summary>
public abstract record L2tpEvent;
