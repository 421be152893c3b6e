using System.Text;
using Relay.Control.Ppp.Authentication;

namespace Relay.Fuzz.Targets;

/// <summary>
/// chap-secrets text: parsing never throws; every error names a line of the input and its
/// message is one of the fixed texts (so no secret can leak into it); every credential that
/// parses is found again by its own client and server, by an entry no less specific; and the
/// credentials format to text that parses back to the same list without errors.
/// </summary>
internal sealed class ChapSecretsFuzzTarget : IFuzzTarget
{
    private static readonly HashSet<string> FixedMessages =
    [
        "unterminated quote",
        "backslash at end of line",
        "expected client, server and secret",
        "secrets read from a file ('@') are not supported",
        "address # is not an IPv# address, address/prefix, '*' or '-'",
        "'-' (no address allowed) must be the only address",
    ];

    public string Name => "chap-secrets";

    public IEnumerable<byte[]> Seeds()
    {
        yield return "# client server secret addresses\nalice relay s3cret *\r\nbob relay pw\n"u8.ToArray();
        yield return "\"alice smith\" * \"with \\\" quote # and\" 10.0.0.1 !10.0.1.0/24 10.0.2.0/24+\n* * any -\n"u8.ToArray();
        yield return "bad \"open\nx y\\\nshort\nz s @file\nq s p 1.2.3\nr s p 1.2.3.4 -\n"u8.ToArray();
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        var result = ChapSecrets.Parse(text);
        var lines = text.Count(c => c == '\n') + 1;
        foreach (var error in result.Errors)
        {
            Require(error.Line >= 1 && error.Line <= lines, "error line outside the input");
            var shape = new string([.. error.Message.Select(c => char.IsAsciiDigit(c) ? '#' : c)]);
            Require(FixedMessages.Contains(shape.Replace("##", "#").Replace("##", "#")), "error message is not a fixed text");
        }

        var credentials = result.Secrets.Credentials;
        foreach (var credential in credentials)
        {
            Require(result.Secrets.TryGetCredential(credential.Client, credential.Server, out var found), "a parsed credential is not found");
            Require(Wildcards(found) <= Wildcards(credential), "lookup chose a less specific entry");
        }

        var again = ChapSecrets.Parse(ChapSecrets.Format(credentials));
        Require(again.Errors.Count == 0, "formatted credentials do not parse");
        Require(again.Secrets.Credentials.Count == credentials.Count, "formatted credentials parse to another count");
        for (var i = 0; i < credentials.Count; i++)
        {
            var (a, b) = (credentials[i], again.Secrets.Credentials[i]);
            Require(a.Client == b.Client && a.Server == b.Server && a.Secret == b.Secret && a.Addresses.SequenceEqual(b.Addresses),
                "formatted credential parses differently");
        }
    }

    private static int Wildcards(PppCredential credential) => (credential.Client == "*" ? 1 : 0) + (credential.Server == "*" ? 1 : 0);

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}
