using System.Text.Json.Serialization;

namespace Relay.Hosting.Tests;

/// <summary>
/// A configuration shaped like relayd's and relay-client's: nested sections, lists, nullable and non-nullable
/// keys, settable properties (with init-only ones the source generator would set absent keys to default).
/// </summary>
public sealed record SampleConfig
{
    public string Name { get; set; } = "relay";

    public int Port { get; set; } = 1701;

    public bool Enabled { get; set; } = true;

    public string? Optional { get; set; }

    public List<string> Items { get; set; } = [];

    public SampleSection Section { get; set; } = new();
}

public sealed record SampleSection
{
    public string Host { get; set; } = "localhost";

    public ushort Mru { get; set; } = 1400;
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(SampleConfig))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
