using Microsoft.AspNetCore.Http;

namespace Relay.Server.Api;

/// <summary>JSON answers and RFC 9457 problem documents, serialised by <see cref="ApiJsonContext"/> (no reflection).</summary>
internal static class ApiResults
{
    public const string ProblemContentType = "application/problem+json";

    public static IResult Problem(int status, string title, string detail, string? instance, IReadOnlyList<ApiFieldError>? errors = null)
        => TypedResults.Json(
            new ApiProblem($"https://relay.invalid/problems/{Slug(title)}", title, status, detail, instance, errors),
            ApiJsonContext.Api.ApiProblem, ProblemContentType, status);

    public static IResult NotFound(HttpContext context, string what)
        => Problem(StatusCodes.Status404NotFound, "Not found", what, context.Request.Path);

    public static IResult BadParameter(HttpContext context, string field, string message)
        => Problem(StatusCodes.Status400BadRequest, "Invalid parameter", $"{field}: {message}", context.Request.Path, [new(field, message)]);

    private static string Slug(string title) => title.ToLowerInvariant().Replace(' ', '-');
}
