namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// Where the authenticator finds secrets. The chap-secrets file implements it today; a RADIUS
/// back end can later. Lookups happen on the control loop, never on the data path.
/// </summary>
public interface ICredentialStore
{
    /// <summary>
    /// The credential <paramref name="client"/> uses towards <paramref name="server"/>, with
    /// pppd's matching rules (exact names before <c>*</c> wildcards). False when none matches.
    /// </summary>
    bool TryGetCredential(string client, string server, out PppCredential credential);
}
