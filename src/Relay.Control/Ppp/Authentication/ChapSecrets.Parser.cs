using System.Text;

namespace Relay.Control.Ppp.Authentication;

public sealed partial class ChapSecrets
{
    private static ChapSecretsError? ParseLine(ReadOnlySpan<char> line, int lineNumber, List<string> words, out PppCredential? credential)
    {
        credential = null;
        words.Clear();
        if (SplitWords(line, words) is { } kind)
        {
            return Error(lineNumber, kind, 0);
        }
        if (words.Count == 0)
        {
            return null;
        }
        if (words.Count < 3)
        {
            return Error(lineNumber, ChapSecretsErrorKind.MissingFields, 0);
        }
        if (words[2].StartsWith('@'))
        {
            return Error(lineNumber, ChapSecretsErrorKind.SecretFromFile, 0);
        }
        string[] addresses;
        if (words.Count == 3 || (words.Count == 4 && words[3] == NoAddress))
        {
            addresses = [NoAddress];
        }
        else if (words.Count == 4 && words[3] == Wildcard)
        {
            addresses = [];
        }
        else
        {
            addresses = new string[words.Count - 3];
            for (var i = 0; i < addresses.Length; i++)
            {
                var word = words[3 + i];
                if (word == NoAddress)
                {
                    return Error(lineNumber, ChapSecretsErrorKind.DashNotAlone, 0);
                }
                if (word != Wildcard && !IsAddressSpec(word))
                {
                    return Error(lineNumber, ChapSecretsErrorKind.InvalidAddress, i + 1);
                }
                addresses[i] = word;
            }
        }
        credential = new PppCredential(words[0], words[1], words[2], addresses);
        return null;
    }

    /// <summary>Splits a line into words (quotes and backslashes resolved); null, or what is wrong.</summary>
    private static ChapSecretsErrorKind? SplitWords(ReadOnlySpan<char> line, List<string> words)
    {
        var word = new StringBuilder();
        var i = 0;
        while (true)
        {
            while (i < line.Length && IsSeparator(line[i]))
            {
                i++;
            }
            if (i == line.Length || line[i] == '#')
            {
                return null;
            }
            word.Clear();
            var quoted = false;
            for (; i < line.Length && (quoted || !IsSeparator(line[i])); i++)
            {
                var c = line[i];
                if (c == '\\')
                {
                    if (++i == line.Length)
                    {
                        return ChapSecretsErrorKind.BackslashAtEndOfLine;
                    }
                    word.Append(line[i]);
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                }
                else
                {
                    word.Append(c);
                }
            }
            if (quoted)
            {
                return ChapSecretsErrorKind.UnterminatedQuote;
            }
            words.Add(word.ToString());
        }
    }

    private static bool IsSeparator(char c) => c is ' ' or '\t' or '\r' or '\f' or '\v';

    /// <summary>[!]a.b.c.d[/n[+]] with decimal octets 0–255 (no leading zeros) and n 0–32.</summary>
    private static bool IsAddressSpec(ReadOnlySpan<char> word)
    {
        if (word.StartsWith('!'))
        {
            word = word[1..];
        }
        var slash = word.IndexOf('/');
        var address = slash < 0 ? word : word[..slash];
        if (slash >= 0)
        {
            var prefix = word[(slash + 1)..];
            if (prefix.EndsWith('+'))
            {
                prefix = prefix[..^1];
            }
            if (!IsDecimal(prefix, 32))
            {
                return false;
            }
        }
        var octets = 0;
        foreach (var range in address.Split('.'))
        {
            if (++octets > 4 || !IsDecimal(address[range], 255))
            {
                return false;
            }
        }
        return octets == 4;
    }

    private static bool IsDecimal(ReadOnlySpan<char> text, int max)
    {
        if (text.Length is 0 or > 3 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }
        var value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max;
    }

    private static ChapSecretsError Error(int line, ChapSecretsErrorKind kind, int address) => new(line, kind, kind switch
    {
        ChapSecretsErrorKind.UnterminatedQuote => "unterminated quote",
        ChapSecretsErrorKind.BackslashAtEndOfLine => "backslash at end of line",
        ChapSecretsErrorKind.MissingFields => "expected client, server and secret",
        ChapSecretsErrorKind.SecretFromFile => "secrets read from a file ('@') are not supported",
        ChapSecretsErrorKind.InvalidAddress => $"address {address} is not an IPv4 address, address/prefix, '*' or '-'",
        ChapSecretsErrorKind.DashNotAlone => "'-' (no address allowed) must be the only address",
        _ => kind.ToString(),
    });

    /// <summary>
    /// Writes credentials as secrets-file text that <see cref="Parse"/> reads back to the same
    /// list: words quoted and escaped where needed, <c>[]</c> as <c>*</c> and <c>["-"]</c> as
    /// <c>-</c>. Words with a line feed and secrets starting with '@' have no representation.
    /// </summary>
    internal static string Format(IEnumerable<PppCredential> credentials)
    {
        var text = new StringBuilder();
        foreach (var credential in credentials)
        {
            if (credential.Secret.StartsWith('@'))
            {
                throw new ArgumentException("A secret starting with '@' cannot be written.", nameof(credentials));
            }
            AppendWord(text, credential.Client);
            text.Append(' ');
            AppendWord(text, credential.Server);
            text.Append(' ');
            AppendWord(text, credential.Secret);
            if (credential.Addresses.Count == 0)
            {
                text.Append(" *");
            }
            foreach (var address in credential.Addresses)
            {
                text.Append(' ');
                AppendWord(text, address);
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static void AppendWord(StringBuilder text, string word)
    {
        if (word.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A word with a line feed cannot be written.", nameof(word));
        }
        if (word.Length > 0 && !word.AsSpan().ContainsAny(" \t\r\f\v\"\\#"))
        {
            text.Append(word);
            return;
        }
        text.Append('"');
        foreach (var c in word)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }
            text.Append(c);
        }
        text.Append('"');
    }
}
