using Relay.Testing;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Relay.Server.Configuration;

namespace Relay.Server.Tests.Configuration;

/// <summary>docs/configuration.md cannot drift from the config types: every key documented, nothing extra.</summary>
public partial class ConfigurationDocsTests
{
    [Fact]
    public void Every_config_key_is_documented_and_every_documented_key_exists()
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        Collect(ConfigJsonContext.Default.RelayConfig, "", keys);
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md"));
        var documented = new SortedSet<string>(KeyRow().Matches(text).Select(m => m.Groups[1].Value), StringComparer.Ordinal);
        Assert.Equal(keys, documented);
    }

    [Fact]
    public void Documented_defaults_match_the_built_in_default()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md"));
        var json = ConfigLoader.Serialize(new RelayConfig());
        foreach (Match row in DefaultCell().Matches(text))
        {
            Assert.Contains($"\"{row.Groups[1].Value.Split('.')[^1]}\": {row.Groups[2].Value}", json, StringComparison.Ordinal);
        }
    }

    private static void Collect(JsonTypeInfo info, string prefix, ISet<string> keys)
    {
        foreach (var property in info.Properties)
        {
            var key = prefix + property.Name;
            keys.Add(key);
            var type = property.PropertyType;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            {
                Collect(ConfigJsonContext.Default.GetTypeInfo(type.GetGenericArguments()[0])!, key + "[].", keys);
            }
            else if (type.Namespace == typeof(RelayConfig).Namespace)
            {
                Collect(ConfigJsonContext.Default.GetTypeInfo(type)!, key + ".", keys);
            }
        }
    }

    [GeneratedRegex(@"^\| `([a-zA-Z0-9.\[\]]+)` \|", RegexOptions.Multiline)]
    private static partial Regex KeyRow();

    [GeneratedRegex(@"^\| `([a-zA-Z0-9.\[\]]+)` \| [^|]+ \| `(""[^`]*""|null|true|false|-?[0-9]+|\{\})` \|", RegexOptions.Multiline)]
    private static partial Regex DefaultCell();
}
