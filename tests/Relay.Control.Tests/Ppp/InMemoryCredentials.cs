using Relay.Control.Ppp.Authentication;

namespace Relay.Control.Tests.Ppp;

/// <summary>A credential store for tests: exact client, server exact or <c>*</c>.</summary>
internal sealed class InMemoryCredentials : ICredentialStore
{
    private readonly List<PppCredential> _lines = [];

    public InMemoryCredentials Add(string client, string server, string secret, params string[] addresses)
    {
        _lines.Add(new PppCredential(client, server, secret, addresses));
        return this;
    }

    public bool TryGetCredential(string client, string server, out PppCredential credential)
    {
        foreach (var exact in new[] { true, false })
        {
            foreach (var line in _lines)
            {
                if (line.Client == client && (exact ? line.Server == server : line.Server == "*" || server == "*"))
                {
                    credential = line;
                    return true;
                }
            }
        }
        credential = null!;
        return false;
    }
}
