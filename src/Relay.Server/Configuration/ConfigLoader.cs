using Relay.Hosting;

namespace Relay.Server.Configuration;

/// <summary>
/// Reads relayd's configuration JSON into <see cref="RelayConfig"/> (<see cref="JsonConfigReader"/>: the first structural
/// problem, named by its JSON path) and runs <see cref="ConfigValidator"/> (every semantic problem).
/// </summary>
internal static class ConfigLoader
{
    public static (RelayConfig? Config, IReadOnlyList<ConfigError> Errors) LoadFile(string path)
        => JsonConfigReader.ReadFile(path, out var error) is { } json ? Load(json) : (null, [error!]);

    public static (RelayConfig? Config, IReadOnlyList<ConfigError> Errors) Load(string json)
    {
        if (JsonConfigReader.Deserialize(json, ConfigJsonContext.Default.RelayConfig, out var error) is not { } config)
        {
            return (null, [error!]);
        }
        var errors = ConfigValidator.Validate(config);
        return (errors.Count == 0 ? config : null, errors);
    }

    public static string Serialize(RelayConfig config) => System.Text.Json.JsonSerializer.Serialize(config, ConfigJsonContext.Default.RelayConfig);
}
