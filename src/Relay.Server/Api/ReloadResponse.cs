namespace Relay.Server.Api;

/// <summary>A reload that was applied: the new configuration's digest and what happened to the pools.</summary>
internal sealed record ReloadResponse(
    string ConfigDigest,
    IReadOnlyList<string> PoolsAdded,
    IReadOnlyList<string> PoolsChanged,
    IReadOnlyList<string> PoolsDraining,
    IReadOnlyList<string> PoolsRemoved,
    IReadOnlyList<string> Notes);
