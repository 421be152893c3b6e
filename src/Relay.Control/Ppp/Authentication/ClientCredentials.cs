namespace Relay.Control.Ppp.Authentication;

/// <summary>The one user name and password a client (PPP peer) authenticates with, towards any server.</summary>
public sealed class ClientCredentials(string user, string password) : ICredentialStore
{
    public string User { get; } = user;

    public bool TryGetCredential(string client, string server, out PppCredential credential)
    {
        credential = new PppCredential(User, server, password, []);
        return string.Equals(client, User, StringComparison.Ordinal);
    }
}
