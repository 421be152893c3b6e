namespace Relay.Control.Ppp;

/// <summary>The link phases of RFC 1661 §3.2.</summary>
public enum PppPhase
{
    Dead,
    Establish,
    Authenticate,
    Network,
    Terminate,
}
