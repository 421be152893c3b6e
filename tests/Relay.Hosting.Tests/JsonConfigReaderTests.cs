namespace Relay.Hosting.Tests;

/// <summary>Every structural problem comes back as one error that names the key by its JSON path, in JSON's terms.</summary>
public class JsonConfigReaderTests
{
    private static string Error(string json)
    {
        Assert.Null(JsonConfigReader.Deserialize(json, SampleJsonContext.Default.SampleConfig, out var error));
        return Assert.IsType<ConfigError>(error).ToString();
    }

    [Fact]
    public void A_valid_file_with_comments_and_trailing_commas_reads_and_missing_keys_keep_their_defaults()
    {
        var config = JsonConfigReader.Deserialize("""
            // an operator's note
            { "port": 1702, "section": { "host": "relay.example" }, }
            """, SampleJsonContext.Default.SampleConfig, out var error);

        Assert.Null(error);
        Assert.Equal(new SampleSection { Host = "relay.example" }, config!.Section);
        Assert.Equal(1702, config.Port);
        Assert.Equal("relay", config.Name);
    }

    [Theory]
    [InlineData("""{ "bogus": 1 }""", "bogus: unknown key")]
    [InlineData("""{ "section": { "hots": "x" } }""", "section.hots: unknown key")]
    [InlineData("""{ "port": "1701" }""", "port: wrong type, expected a number")]
    [InlineData("""{ "enabled": 1 }""", "enabled: wrong type, expected true or false")]
    [InlineData("""{ "name": 5 }""", "name: wrong type, expected a string")]
    [InlineData("""{ "items": "a" }""", "items: wrong type, expected an array")]
    [InlineData("""{ "section": [] }""", "section: wrong type, expected an object")]
    [InlineData("""{ "section": { "mru": -1 } }""", "section.mru: wrong type, expected a number")]
    [InlineData("""{ "name": null }""", "name: must not be null")]
    [InlineData("null", "$: the configuration must be a JSON object, not null")]
    public void Names_the_key_at_fault(string json, string expected) => Assert.Equal(expected, Error(json));

    [Fact]
    public void A_nullable_key_may_be_null()
    {
        var config = JsonConfigReader.Deserialize("""{ "optional": null }""", SampleJsonContext.Default.SampleConfig, out var error);
        Assert.Null(error);
        Assert.Null(config!.Optional);
    }

    [Fact]
    public void Broken_syntax_gives_the_line()
    {
        var error = Error("{\n  \"port\": 1701,\n  \"name\" \"x\"\n}");
        Assert.True(error.StartsWith("$: invalid JSON (line 3): '\"' is invalid after a property name", StringComparison.Ordinal), error);
        Assert.DoesNotContain("LineNumber", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_file_is_an_error_that_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"relay-hosting-{Guid.NewGuid():N}", "missing.json");
        Assert.Null(JsonConfigReader.ReadFile(path, out var error));
        Assert.Equal(path, error!.Path);
        Assert.StartsWith("cannot read: ", error.Message, StringComparison.Ordinal);
    }
}
