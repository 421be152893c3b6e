using Relay.Hosting;

namespace Relay.Client.Configuration;

/// <summary>
/// Reads relay-client's configuration JSON into <see cref="ClientConfig"/> (<see cref="JsonConfigReader"/>: the first structural
/// problem, named by its JSON path) and runs <see cref="ConfigValidator"/> (every semantic problem).
/// </summary>
internal static class ConfigLoader
{
    public static (ClientConfig? Config, IReadOnlyList<ConfigError> Errors) LoadFile(string path)
        => JsonConfigReader.ReadFile(path, out var error) is { } json ? Load(json) : (null, [error!]);

    public static (ClientConfig? Config, IReadOnlyList<ConfigError> Errors) Load(string json)
    {
        if (JsonConfigReader.Deserialize(json, ConfigJsonContext.Default.ClientConfig, out var error) is not { } config)
        {
            return (null, [error!]);
        }
        var errors = ConfigValidator.Validate(config);
        return (errors.Count == 0 ? config : null, errors);
    }

    public static string Serialize(ClientConfig config) => System.Text.Json.JsonSerializer.Serialize(config, ConfigJsonContext.Default.ClientConfig);
}
