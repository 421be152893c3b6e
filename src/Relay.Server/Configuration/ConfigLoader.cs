using System.Text.Json;

namespace Relay.Server.Configuration;

/// <summary>
/// Reads configuration JSON into <see cref="RelayConfig"/> and runs <see cref="ConfigValidator"/>. Structural
/// problems (syntax, unknown key, wrong type, null) stop deserialisation at the first one; semantic problems
/// are all reported. Every error names its JSON path.
/// </summary>
internal static class ConfigLoader
{
    public static (RelayConfig? Config, IReadOnlyList<ConfigError> Errors) LoadFile(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new ConfigError(path, $"cannot read: {e.Message}")]);
        }
        return Load(json);
    }

    public static (RelayConfig? Config, IReadOnlyList<ConfigError> Errors) Load(string json)
    {
        RelayConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, ConfigJsonContext.Default.RelayConfig);
        }
        catch (JsonException e)
        {
            return (null, [Translate(e)]);
        }
        if (config is null)
        {
            return (null, [new ConfigError("$", "the configuration must be a JSON object, not null")]);
        }
        var errors = ConfigValidator.Validate(config);
        return (errors.Count == 0 ? config : null, errors);
    }

    public static string Serialize(RelayConfig config) => JsonSerializer.Serialize(config, ConfigJsonContext.Default.RelayConfig);

    /// <summary>Turns System.Text.Json's exception into "path: problem" in the file's own terms.</summary>
    internal static ConfigError Translate(JsonException e)
    {
        var path = e.Path is null or "$" ? "$" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path;
        var message = e.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var key = Quoted(message);
            var full = path == "$" ? key : path.EndsWith("." + key, StringComparison.Ordinal) || path == key ? path : $"{path}.{key}";
            return new ConfigError(full, "unknown key");
        }
        const string converted = "could not be converted to ";
        var at = message.IndexOf(converted, StringComparison.Ordinal);
        if (at >= 0)
        {
            var type = message[(at + converted.Length)..];
            var end = type.IndexOf(". Path", StringComparison.Ordinal);
            return new ConfigError(path, $"wrong type, expected {JsonKind(end >= 0 ? type[..end] : type)}");
        }
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("doesn't allow", StringComparison.Ordinal))
        {
            var key = Quoted(message);
            var full = path == "$" ? key : path.EndsWith(key, StringComparison.OrdinalIgnoreCase) ? path : $"{path}.{key}";
            return new ConfigError(full, "must not be null");
        }
        var line = e.LineNumber is { } l ? $" (line {l + 1})" : "";
        var first = message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
        return new ConfigError(path, $"invalid JSON{line}: {first}");
    }

    private static string Quoted(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : "?";
    }

    private static string JsonKind(string dotnetType) => dotnetType switch
    {
        "System.String" => "a string",
        "System.Boolean" => "true or false",
        "System.Int32" or "System.Int64" or "System.UInt16" => "a number",
        _ when dotnetType.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "an array",
        _ when dotnetType.StartsWith("Relay.Server.Configuration.", StringComparison.Ordinal) => "an object",
        _ => dotnetType,
    };
}
