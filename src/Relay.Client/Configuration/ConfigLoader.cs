using System.Text.Json;

namespace Relay.Client.Configuration;

/// <summary>
/// Reads configuration JSON into <see cref="ClientConfig"/> and runs <see cref="ConfigValidator"/>, with relayd's
/// conventions: structural problems (syntax, unknown key, wrong type, null) stop at the first one, semantic ones
/// are all reported, and every error names its JSON path.
/// </summary>
internal static class ConfigLoader
{
    public static (ClientConfig? Config, IReadOnlyList<ConfigError> Errors) LoadFile(string path)
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

    public static (ClientConfig? Config, IReadOnlyList<ConfigError> Errors) Load(string json)
    {
        ClientConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, ConfigJsonContext.Default.ClientConfig);
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

    public static string Serialize(ClientConfig config) => JsonSerializer.Serialize(config, ConfigJsonContext.Default.ClientConfig);

    /// <summary>System.Text.Json's exception as "path: problem" in the file's own terms.</summary>
    internal static ConfigError Translate(JsonException e)
    {
        var path = e.Path is null or "$" ? "$" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path;
        var message = e.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var key = Quoted(message);
            return new ConfigError(path == "$" ? key : path.EndsWith(key, StringComparison.Ordinal) ? path : $"{path}.{key}", "unknown key");
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
            return new ConfigError(path == "$" ? key : path.EndsWith(key, StringComparison.OrdinalIgnoreCase) ? path : $"{path}.{key}", "must not be null");
        }
        var line = e.LineNumber is { } l ? $" (line {l + 1})" : "";
        return new ConfigError(path, $"invalid JSON{line}: {message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0]}");
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
        "System.Int32" => "a number",
        _ when dotnetType.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "an array",
        _ when dotnetType.StartsWith("Relay.Client.Configuration.", StringComparison.Ordinal) => "an object",
        _ => dotnetType,
    };
}
