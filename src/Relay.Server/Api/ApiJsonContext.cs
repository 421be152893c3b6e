using System.Text.Json.Serialization;
using Relay.Server.Configuration;

namespace Relay.Server.Api;

/// <summary>Source-generated JSON for the control API (AOT-safe): camelCase, nulls written, unknown request keys refused.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    WriteIndented = true)]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(List<TunnelView>))]
[JsonSerializable(typeof(TunnelView))]
[JsonSerializable(typeof(List<SessionView>))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(List<PoolView>))]
[JsonSerializable(typeof(PoolView))]
[JsonSerializable(typeof(ReloadResponse))]
[JsonSerializable(typeof(PoolConfig))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The same options plus relaxed escaping, so that quotes in a problem's detail read as quotes
    /// (the answers go to a root-only socket and to relayctl, never into HTML).
    /// </summary>
    public static ApiJsonContext Api { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
