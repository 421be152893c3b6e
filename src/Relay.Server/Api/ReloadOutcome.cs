namespace Relay.Server.Api;

/// <summary>What a reload did: applied (<see cref="Response"/>) or refused whole (<see cref="Errors"/>, each naming its field).</summary>
internal sealed record ReloadOutcome(ReloadResponse? Response, IReadOnlyList<ApiFieldError> Errors, bool NoFile = false)
{
    public bool Ok => Response is not null;
}
