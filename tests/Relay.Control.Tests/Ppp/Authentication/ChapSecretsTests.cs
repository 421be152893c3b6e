using CsCheck;
using Relay.Control.Ppp.Authentication;

namespace Relay.Control.Tests.Ppp.Authentication;

public class ChapSecretsTests
{
    private static ChapSecrets Valid(string text)
    {
        var result = ChapSecrets.Parse(text);
        Assert.Empty(result.Errors);
        return result.Secrets;
    }

    [Fact]
    public void Comments_and_blank_lines_are_skipped()
    {
        var secrets = Valid("# client server secret addresses\n\n   \t\nalice relay s3cret * # trailing comment\r\n  # indented\n");
        var alice = Assert.Single(secrets.Credentials);
        Assert.Equal(new PppCredential("alice", "relay", "s3cret", alice.Addresses), alice);
        Assert.Empty(alice.Addresses);
    }

    [Fact]
    public void Hash_inside_a_word_or_quotes_is_not_a_comment()
    {
        var secrets = Valid("alice relay pa#ss *\nbob relay \"# not a comment\" *\ncarol relay \\#x *");
        Assert.Equal(["pa#ss", "# not a comment", "#x"], secrets.Credentials.Select(c => c.Secret));
    }

    [Fact]
    public void Quotes_and_backslash_escapes_build_words()
    {
        var secrets = Valid("\"alice smith\" relay \"with \\\"quote\\\" and \\\\ back\" *\nbob relay ab\"c d\"e\\ f *\n\"\" relay \"\" *");
        Assert.Equal("alice smith", secrets.Credentials[0].Client);
        Assert.Equal("with \"quote\" and \\ back", secrets.Credentials[0].Secret);
        Assert.Equal("abc de f", secrets.Credentials[1].Secret);
        Assert.Equal("", secrets.Credentials[2].Client);
        Assert.Equal("", secrets.Credentials[2].Secret);
    }

    [Fact]
    public void Exact_match_beats_one_wildcard_which_beats_two()
    {
        // pppd(8), AUTHENTICATION: "the best match, i.e. the match with the fewest wildcards".
        var secrets = Valid("""
            * * any
            * relay any-client
            alice * any-server
            alice relay exact
            """);
        Assert.Equal("exact", Lookup(secrets, "alice", "relay"));
        Assert.Equal("any-server", Lookup(secrets, "alice", "other"));
        Assert.Equal("any-client", Lookup(secrets, "bob", "relay"));
        Assert.Equal("any", Lookup(secrets, "bob", "other"));
    }

    [Fact]
    public void Among_equally_good_matches_the_earliest_line_wins()
    {
        var secrets = Valid("""
            alice relay first
            * relay wild-client
            alice * wild-server
            alice relay second
            """);
        Assert.Equal("first", Lookup(secrets, "alice", "relay"));
        // alice→relay matches both one-wildcard lines: the earlier one wins.
        var tie = Valid("* relay wild-client\nalice * wild-server");
        Assert.Equal("wild-client", Lookup(tie, "alice", "relay"));
        var tieReversed = Valid("alice * wild-server\n* relay wild-client");
        Assert.Equal("wild-server", Lookup(tieReversed, "alice", "relay"));
    }

    [Fact]
    public void Names_are_case_sensitive_and_unknown_names_do_not_match()
    {
        var secrets = Valid("alice relay s *");
        Assert.False(secrets.TryGetCredential("Alice", "relay", out _));
        Assert.False(secrets.TryGetCredential("alice", "Relay", out _));
        Assert.False(Valid("").TryGetCredential("alice", "relay", out _));
    }

    [Fact]
    public void Addresses_star_means_any_from_the_pools_and_none_or_dash_means_no_address()
    {
        var secrets = Valid("""
            any relay s *
            none relay s
            dash relay s -
            one relay s 10.0.0.5
            many relay s 10.0.0.5 !10.0.1.0/24 10.0.2.0/24+ *
            """);
        Assert.Empty(secrets.Credentials[0].Addresses);
        Assert.Equal([ChapSecrets.NoAddress], secrets.Credentials[1].Addresses);
        Assert.Equal([ChapSecrets.NoAddress], secrets.Credentials[2].Addresses);
        Assert.Equal(["10.0.0.5"], secrets.Credentials[3].Addresses);
        Assert.Equal(["10.0.0.5", "!10.0.1.0/24", "10.0.2.0/24+", "*"], secrets.Credentials[4].Addresses);
    }

    [Theory]
    [InlineData("a s \"open", ChapSecretsErrorKind.UnterminatedQuote, "line 2: unterminated quote")]
    [InlineData("a s x\\", ChapSecretsErrorKind.BackslashAtEndOfLine, "line 2: backslash at end of line")]
    [InlineData("a s", ChapSecretsErrorKind.MissingFields, "line 2: expected client, server and secret")]
    [InlineData("a s @/etc/ppp/pw", ChapSecretsErrorKind.SecretFromFile, "line 2: secrets read from a file ('@') are not supported")]
    [InlineData("a s x 10.0.0.1 host.example", ChapSecretsErrorKind.InvalidAddress, "line 2: address 2 is not an IPv4 address, address/prefix, '*' or '-'")]
    [InlineData("a s x 10.0.0.1 -", ChapSecretsErrorKind.DashNotAlone, "line 2: '-' (no address allowed) must be the only address")]
    public void Errors_carry_their_line_number(string line, ChapSecretsErrorKind kind, string text)
    {
        var result = ChapSecrets.Parse("good relay pw *\n" + line + "\nalso relay pw *");
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(text, error.ToString());
        Assert.False(result.IsValid);
        // The bad line is left out whole; the good ones load.
        Assert.Equal(["good", "also"], result.Secrets.Credentials.Select(c => c.Client));
    }

    [Theory]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.256")]
    [InlineData("010.0.0.1")]
    [InlineData("0x0A.0.0.1")]
    [InlineData("10.0.0.1/33")]
    [InlineData("10.0.0.1+")]
    [InlineData("10.0.0.1/")]
    [InlineData("::1")]
    [InlineData("!")]
    public void Malformed_addresses_are_errors(string address)
    {
        Assert.Equal(ChapSecretsErrorKind.InvalidAddress, Assert.Single(ChapSecrets.Parse($"a s x {address}").Errors).Kind);
    }

    [Fact]
    public void Every_error_in_a_file_is_reported()
    {
        var result = ChapSecrets.Parse("a\n\nb s \"x\nok s pw\nc s y 1.2.3\n");
        Assert.Equal([1, 3, 5], result.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Secrets_never_appear_in_error_text()
    {
        const string Secret = "Hunter2Secret";
        var lines = new[]
        {
            $"a s \"{Secret}", $"a s {Secret}\\", $"a s {Secret} nonsense", $"a s @{Secret}",
            $"a s my {Secret}", $"a s x {Secret}", $"{Secret}", $"a s {Secret} 1.2.3.4 -",
        };
        var result = ChapSecrets.Parse(string.Join('\n', lines));
        Assert.Equal(lines.Length, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.DoesNotContain("Hunter2", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Load_reads_a_file_and_reports_an_unreadable_one_without_throwing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"relay-chap-{Guid.NewGuid():N}");
        File.WriteAllText(path, "alice relay pw 10.1.1.1\n");
        try
        {
            Assert.Equal("pw", Lookup(ChapSecrets.Load(path).Secrets, "alice", "relay"));
        }
        finally
        {
            File.Delete(path);
        }
        var missing = ChapSecrets.Load(path);
        var error = Assert.Single(missing.Errors);
        Assert.Equal((0, ChapSecretsErrorKind.Unreadable), (error.Line, error.Kind));
    }

    [Fact]
    public void Formatting_random_credentials_and_parsing_gives_them_back()
    {
        Gen.Select(Word, Word, Secret, Addresses).Select((c, s, p, a) => new PppCredential(c, s, p, a)).List[0, 8]
            .Sample(credentials =>
            {
                var text = ChapSecrets.Format(credentials);
                var result = ChapSecrets.Parse(text);
                Assert.Empty(result.Errors);
                Assert.Equal(credentials.Count, result.Secrets.Credentials.Count);
                for (var i = 0; i < credentials.Count; i++)
                {
                    var (expected, actual) = (credentials[i], result.Secrets.Credentials[i]);
                    Assert.Equal((expected.Client, expected.Server, expected.Secret), (actual.Client, actual.Server, actual.Secret));
                    Assert.Equal(expected.Addresses, actual.Addresses);
                    Assert.True(result.Secrets.TryGetCredential(expected.Client, expected.Server, out _));
                }
            }, iter: 500);
    }

    [Fact]
    public void Parsing_random_text_never_throws_and_errors_stay_in_range()
    {
        var chars = Gen.OneOf(Gen.Char['!', '~'], Gen.OneOfConst(' ', '\t', '\n', '\r', '"', '\\', '#', '*', '-', '.', '/', '@', 'é', '\u2028'));
        Gen.String[chars, 0, 200].Sample(text =>
        {
            var result = ChapSecrets.Parse(text);
            var lines = text.Count(c => c == '\n') + 1;
            Assert.All(result.Errors, e => Assert.InRange(e.Line, 1, lines));
            var again = ChapSecrets.Parse(ChapSecrets.Format(result.Secrets.Credentials));
            Assert.Empty(again.Errors);
            Assert.Equal(result.Secrets.Credentials.Count, again.Secrets.Credentials.Count);
        }, iter: 3000);
    }

    private static string Lookup(ChapSecrets secrets, string client, string server)
    {
        Assert.True(secrets.TryGetCredential(client, server, out var credential));
        return credential.Secret;
    }

    private static readonly Gen<char> WordChar = Gen.OneOf(Gen.Char['!', '~'], Gen.OneOfConst(' ', '\t', '\r', '"', '\\', '#', 'é', '\u2028', '\u00A0'));

    private static readonly Gen<string> Word = Gen.Frequency((1, Gen.Const("*")), (8, Gen.String[WordChar, 0, 12]));

    private static readonly Gen<string> Secret = Gen.String[WordChar, 0, 16].Where(s => !s.StartsWith('@'));

    private static readonly Gen<string> Address =
        Gen.Select(Gen.Bool, Gen.Byte.Array[4], Gen.Int[-1, 32], Gen.Bool).Select((not, octets, prefix, plus) =>
            (not ? "!" : "") + string.Join('.', octets) + (prefix < 0 ? "" : $"/{prefix}" + (plus ? "+" : "")));

    private static readonly Gen<IReadOnlyList<string>> Addresses = Gen.Frequency(
        (1, Gen.Const<IReadOnlyList<string>>([])),
        (1, Gen.Const<IReadOnlyList<string>>([ChapSecrets.NoAddress])),
        (4, Gen.Frequency((6, Address), (1, Gen.Const("*"))).List[1, 4].Where(a => a is not ["*"]).Select(a => (IReadOnlyList<string>)a)));
}
