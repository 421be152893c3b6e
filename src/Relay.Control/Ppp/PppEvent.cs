namespace Relay.Control.Ppp;

/// <summary>What a <see cref="PppSession"/> tells its orchestrator.</summary>
public abstract record PppEvent;
