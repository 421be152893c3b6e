namespace Relay.Server.Api;

/// <summary>One field problem inside an <see cref="ApiProblem"/>: the JSON path (or query/route parameter) and what is wrong.</summary>
internal sealed record ApiFieldError(string Field, string Message);
