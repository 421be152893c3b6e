using System.Text.Json.Serialization;

namespace Relay.Client.Configuration;

/// <summary>Source-generated (AOT-safe) JSON metadata: camelCase keys, unknown keys are errors, nulls refused where not nullable.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ClientConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
