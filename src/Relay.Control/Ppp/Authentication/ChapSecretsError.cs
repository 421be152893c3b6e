namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// One problem in a secrets file, with its 1-based line (0 when the file could not be read).
/// <see cref="Message"/> is built from fixed text and field numbers only: no secret, and no other
/// word of the line (a mistyped secret can land in any field), ever appears in it.
/// </summary>
public readonly record struct ChapSecretsError(int Line, ChapSecretsErrorKind Kind, string Message)
{
    /// <summary><c>line 7: unterminated quote</c>.</summary>
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}
