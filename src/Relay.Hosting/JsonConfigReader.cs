using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Relay.Hosting;

/// <summary>
/// Reads a configuration file with source-generated metadata. Structural problems (syntax, unknown
/// key, wrong type, null) stop deserialisation at the first one and come back as one
/// <see cref="ConfigError"/> in the file's own terms: the key's JSON path and what is wrong with it,
/// never System.Text.Json's .NET type names. Semantic checks are the caller's validator.
/// </summary>
public static class JsonConfigReader
{
    /// <summary>The file's text, or the error that names the file when it cannot be read.</summary>
    public static string? ReadFile(string path, out ConfigError? error)
    {
        try
        {
            error = null;
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = new ConfigError(path, $"cannot read: {e.Message}");
            return null;
        }
    }

    /// <summary>Deserialises <paramref name="json"/>; null with <paramref name="error"/> set on the first structural problem.</summary>
    public static T? Deserialize<T>(string json, JsonTypeInfo<T> typeInfo, out ConfigError? error)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        T? config;
        try
        {
            config = JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException e)
        {
            error = Translate(e, typeof(T).Namespace + ".");
            return null;
        }
        error = config is null ? new ConfigError("$", "the configuration must be a JSON object, not null") : null;
        return config;
    }

    /// <summary>
    /// Turns System.Text.Json's exception into "path: problem". Types in
    /// <paramref name="configNamespace"/> are the configuration's own sections: "an object".
    /// </summary>
    public static ConfigError Translate(JsonException e, string configNamespace)
    {
        ArgumentNullException.ThrowIfNull(e);
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
            return new ConfigError(path, $"wrong type, expected {JsonKind(end >= 0 ? type[..end] : type, configNamespace)}");
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

    private static string JsonKind(string dotnetType, string configNamespace) => dotnetType switch
    {
        "System.String" => "a string",
        "System.Boolean" => "true or false",
        "System.Int32" or "System.Int64" or "System.UInt16" or "System.Double" => "a number",
        _ when dotnetType.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "an array",
        _ when dotnetType.StartsWith(configNamespace, StringComparison.Ordinal) => "an object",
        _ => dotnetType,
    };
}
