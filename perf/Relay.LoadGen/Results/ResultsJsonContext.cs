using System.Text.Json.Serialization;

namespace Relay.LoadGen.Results;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;
