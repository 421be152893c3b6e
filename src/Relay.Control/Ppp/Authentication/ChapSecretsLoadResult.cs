namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// A parsed secrets file: the store built from every line without error, and every error.
/// Lines with an error are left out whole. Callers treat a non-empty <see cref="Errors"/> as
/// a failed (re)load, like any configuration error; the partial store is there for tools.
/// </summary>
public sealed class ChapSecretsLoadResult
{
    internal ChapSecretsLoadResult(ChapSecrets secrets, IReadOnlyList<ChapSecretsError> errors)
    {
        Secrets = secrets;
        Errors = errors;
    }

    public ChapSecrets Secrets { get; }

    public IReadOnlyList<ChapSecretsError> Errors { get; }

    public bool IsValid => Errors.Count == 0;
}
