namespace Relay.Control.Ppp;

/// <summary>Which end of the link a <see cref="PppSession"/> is.</summary>
public enum PppRole
{
    /// <summary>The LNS (relayd): demands authentication, assigns the peer's address.</summary>
    Authenticator,

    /// <summary>The client (relay-client): authenticates itself, takes the address it is given.</summary>
    Peer,
}
