namespace Relay.Control.Ppp.Authentication;

/// <summary>What is wrong with a line of a secrets file. Messages never quote the line's words.</summary>
public enum ChapSecretsErrorKind
{
    /// <summary>The file could not be read at all (line 0).</summary>
    Unreadable,

    UnterminatedQuote,

    /// <summary>A backslash with nothing after it: lines do not continue.</summary>
    BackslashAtEndOfLine,

    /// <summary>Fewer than three words: client, server and secret are required.</summary>
    MissingFields,

    /// <summary>pppd reads a secret starting with '@' from a file; Relay does not.</summary>
    SecretFromFile,

    /// <summary>An address word is not an IPv4 address, an address/prefix, '*' or '-'.</summary>
    InvalidAddress,

    /// <summary>'-' (no address allowed) must be the only address word.</summary>
    DashNotAlone,
}
