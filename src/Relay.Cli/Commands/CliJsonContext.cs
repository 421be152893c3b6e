using System.Text.Json.Serialization;

namespace Relay.Cli.Commands;

/// <summary>Source-generated JSON for what relayctl sends and the rates <c>watch --json</c> prints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PoolBody))]
[JsonSerializable(typeof(RateFrame))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
