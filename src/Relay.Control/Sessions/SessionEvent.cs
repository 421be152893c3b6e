namespace Relay.Control.Sessions;

/// <summary>What a controller tells the data plane, the API and the logs about sessions.</summary>
public abstract record SessionEvent;
