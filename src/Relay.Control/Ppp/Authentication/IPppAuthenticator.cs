namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// The authenticator side's judge of a peer's proof (RFC 1661 §3.5): it gets the user name and
/// the material the peer sent, never hands out a secret, and answers accept, reject or pending.
/// <see cref="SecretsAuthenticator"/> judges from a secrets file synchronously; a RADIUS back end
/// sends an Access-Request, answers <see cref="PppAuthVerdict.Pending"/>, and delivers the
/// Access-Accept/Reject later through <see cref="PppSession.CompleteAuthentication"/> with
/// <see cref="PppAuthRequest.Id"/>. Called on the control loop; it must not block, and must not
/// call <see cref="PppSession.CompleteAuthentication"/> from inside <see cref="Authenticate"/>
/// (return the verdict instead).
/// </summary>
public interface IPppAuthenticator
{
    /// <summary>Judges one request; the request's material is the back end's to keep.</summary>
    PppAuthVerdict Authenticate(PppAuthRequest request);
}
