using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Relay.Client.Configuration;
using Relay.Testing;

namespace Relay.Client.Tests.Configuration;

/// <summary>docs/relay-client.md cannot drift from the config types: every key documented, nothing extra, defaults true.</summary>
public partial class ConfigurationDocsTests
{
    private static string Docs => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "relay-client.md"));

    [Fact]
    public void Every_config_key_is_documented_and_every_documented_key_exists()
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        Collect(ConfigJsonContext.Default.ClientConfig, "", keys);
        var documented = new SortedSet<string>(KeyRow().Matches(Docs).Select(m => m.Groups[1].Value), StringComparer.Ordinal);

        Assert.Equal(keys, documented);
    }

    [Fact]
    public void Documented_defaults_match_the_built_in_default()
    {
        var json = ConfigLoader.Serialize(new ClientConfig());
        var rows = DefaultCell().Matches(Docs);

        Assert.True(rows.Count >= 15, $"only {rows.Count} rows with a default");
        foreach (Match row in rows)
        {
            Assert.Contains($"\"{row.Groups[1].Value.Split('.')[^1]}\": {row.Groups[2].Value}", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_hook_variable_the_client_sets_is_documented()
    {
        var source = string.Join('\n', Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src", "Relay.Client"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        var set = new SortedSet<string>(Variable().Matches(source).Select(m => m.Groups[1].Value), StringComparer.Ordinal);

        Assert.NotEmpty(set);
        Assert.All(set, v => Assert.Contains($"| `{v}` |", Docs, StringComparison.Ordinal));
    }

    private static void Collect(JsonTypeInfo info, string prefix, ISet<string> keys)
    {
        foreach (var property in info.Properties)
        {
            var key = prefix + property.Name;
            keys.Add(key);
            if (property.PropertyType.Namespace == typeof(ClientConfig).Namespace)
            {
                Collect(ConfigJsonContext.Default.GetTypeInfo(property.PropertyType)!, key + ".", keys);
            }
        }
    }

    [GeneratedRegex(@"^\| `([a-zA-Z0-9.\[\]]+)` \| (?!Value)", RegexOptions.Multiline)]
    private static partial Regex KeyRow();

    [GeneratedRegex(@"^\| `([a-zA-Z0-9.\[\]]+)` \| [^|]+ \| `(""[^`]*""|null|true|false|-?[0-9]+|\[\])` \|", RegexOptions.Multiline)]
    private static partial Regex DefaultCell();

    [GeneratedRegex(@"\[""(RELAY_[A-Z_]+)""\]")]
    private static partial Regex Variable();
}
