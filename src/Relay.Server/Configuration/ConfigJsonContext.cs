using System.Text.Json.Serialization;

namespace Relay.Server.Configuration;

/// <summary>
/// Source-generated (AOT-safe) JSON metadata for the configuration. Unknown keys are errors, nulls are
/// refused where the type is not nullable, and keys are camelCase.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RelayConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
