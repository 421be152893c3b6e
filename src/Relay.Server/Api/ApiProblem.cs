namespace Relay.Server.Api;

/// <summary>
/// An RFC 9457 problem document (<c>application/problem+json</c>). <see cref="Detail"/> names the
/// field at fault; <see cref="Errors"/> lists every field problem when there are several (e.g. a
/// refused reload).
/// </summary>
internal sealed record ApiProblem(string Type, string Title, int Status, string Detail, string? Instance, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ApiFieldError>? Errors = null);
