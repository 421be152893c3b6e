namespace Relay.Control.Ppp.Authentication;

/// <summary>What an <see cref="IPppAuthenticator"/> decided about one <see cref="PppAuthRequest"/>.</summary>
public enum PppAuthDecision
{
    /// <summary>The peer proved who it is; the link goes on to the Network phase.</summary>
    Accepted,

    /// <summary>The peer failed; it gets Nak/Failure and the link terminates.</summary>
    Rejected,

    /// <summary>
    /// An asynchronous back end will answer later through <see cref="PppSession.CompleteAuthentication"/>;
    /// until then the exchange is parked.
    /// </summary>
    Pending,
}
