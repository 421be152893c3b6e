namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// pppd's <c>chap-secrets</c>/<c>pap-secrets</c> file as an <see cref="ICredentialStore"/>.
/// <para>
/// <b>Format</b> (pppd(8), AUTHENTICATION, and "An options file is parsed into a series of
/// words"): one entry per line: client, server, secret, then zero or more addresses. Words are
/// separated by spaces and tabs. Double quotes enclose text with spaces or <c>#</c>; a backslash,
/// inside or outside quotes, takes the next character literally. A <c>#</c> at the start of a
/// word, outside quotes, starts a comment to the end of the line (inside a word it is an
/// ordinary character). An entry never continues onto the next line: an open quote or a
/// trailing backslash is an error. Names and secrets are case-sensitive. <c>""</c> is an empty
/// word (an empty secret is the empty password, not "any password").
/// </para>
/// <para>
/// <b>Addresses</b>, as <see cref="PppCredential.Addresses"/> holds them:
/// a single <c>*</c> (any address) becomes the empty list, which <see cref="PppCredential"/>
/// defines as "any from the pools"; no address words, or a single <c>-</c>, is pppd's "all IP
/// addresses are disallowed" and becomes the one-element list <c>["-"]</c>, which consumers must
/// treat as "refuse IPCP" (it is never an address). Otherwise the words are kept as written:
/// dotted-quad IPv4 addresses, each optionally prefixed by <c>!</c> (not acceptable) and followed
/// by <c>/n</c> (a subnet) and then <c>+</c> (pppd's one-address-per-unit form); <c>*</c> may
/// appear in such a list. Host names, IPv6 and <c>-</c> among other words are errors.
/// </para>
/// <para>
/// <b>Matching</b> (pppd(8): "When selecting a secret, pppd takes the best match, i.e. the
/// match with the fewest wildcards"): an exact client and server beats one wildcard, which beats
/// two. pppd leaves ties unspecified; here the earliest line wins, so a later line never
/// overrides an earlier equally good or better match (later duplicates are dead lines).
/// A quoted <c>"*"</c> is a wildcard too. Not supported: pppd's <c>@file</c> secrets (an error).
/// </para>
/// </summary>
public sealed partial class ChapSecrets : ICredentialStore
{
    private readonly PppCredential[] _credentials;
    private readonly Dictionary<(string Client, string Server), int> _exact = [];
    private readonly Dictionary<string, int> _anyServer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _anyClient = new(StringComparer.Ordinal);
    private readonly int _anyAny = -1;

    private const string Wildcard = "*";

    /// <summary>The value of <see cref="PppCredential.Addresses"/> for "no address allowed".</summary>
    public const string NoAddress = "-";

    internal ChapSecrets(IReadOnlyList<PppCredential> credentials)
    {
        _credentials = [.. credentials];
        for (var i = 0; i < _credentials.Length; i++)
        {
            var (client, server) = (_credentials[i].Client, _credentials[i].Server);
            switch (client == Wildcard, server == Wildcard)
            {
                case (false, false):
                    _exact.TryAdd((client, server), i);
                    break;
                case (false, true):
                    _anyServer.TryAdd(client, i);
                    break;
                case (true, false):
                    _anyClient.TryAdd(server, i);
                    break;
                default:
                    if (_anyAny < 0)
                    {
                        _anyAny = i;
                    }
                    break;
            }
        }
    }

    /// <summary>Every valid entry, in file order.</summary>
    public IReadOnlyList<PppCredential> Credentials => _credentials;

    /// <inheritdoc/>
    public bool TryGetCredential(string client, string server, out PppCredential credential)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        var best = -1;
        if (_exact.TryGetValue((client, server), out var exact))
        {
            best = exact;
        }
        else
        {
            var byClient = _anyServer.TryGetValue(client, out var c) ? c : -1;
            var byServer = _anyClient.TryGetValue(server, out var s) ? s : -1;
            best = byClient < 0 ? byServer : byServer < 0 ? byClient : Math.Min(byClient, byServer);
            if (best < 0)
            {
                best = _anyAny;
            }
        }
        credential = best < 0 ? null! : _credentials[best];
        return best >= 0;
    }

    /// <summary>Reads and parses a secrets file; an unreadable file is an error at line 0, not an exception.</summary>
    public static ChapSecretsLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return new ChapSecretsLoadResult(new ChapSecrets([]),
                [new ChapSecretsError(0, ChapSecretsErrorKind.Unreadable, $"cannot read {path}: {e.Message}")]);
        }
        return Parse(text);
    }

    /// <summary>Parses the text of a secrets file. Never throws on any content.</summary>
    public static ChapSecretsLoadResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var credentials = new List<PppCredential>();
        var errors = new List<ChapSecretsError>();
        var words = new List<string>();
        var lineNumber = 0;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            // Only '\n' ends a line (a '\r' before it is a separator), as for pppd: Unicode line
            // separators inside a quoted secret stay part of it.
            lineNumber++;
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            var error = ParseLine(line, lineNumber, words, out var credential);
            if (error is { } e)
            {
                errors.Add(e);
            }
            else if (credential is not null)
            {
                credentials.Add(credential);
            }
        }
        return new ChapSecretsLoadResult(new ChapSecrets(credentials), errors);
    }
}
