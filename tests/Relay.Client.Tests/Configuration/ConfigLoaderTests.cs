using Relay.Client.Configuration;

namespace Relay.Client.Tests.Configuration;

public class ConfigLoaderTests
{
    private const string Minimal = """{ "relay": "198.51.100.7", "ppp": { "user": "alice", "password": "wonderland" } }""";

    [Fact]
    public void A_minimal_file_loads_with_the_documented_defaults()
    {
        var (config, errors) = ConfigLoader.Load(Minimal);

        Assert.Empty(errors);
        Assert.NotNull(config);
        Assert.Equal("auto", config.Mode);
        Assert.Equal("relay0", config.Tun.Name);
        Assert.Null(config.Stun);
        Assert.Equal(1701, config.Tunnel.LocalPort);
    }

    [Fact]
    public void Stun_defaults_to_the_relay_address_on_port_3478_and_relay_to_port_1701()
    {
        var (config, _) = ConfigLoader.Load(Minimal);
        var settings = Relay.Client.Tunnel.ClientSettings.From(config!);

        Assert.Equal("198.51.100.7:1701", settings.Relay.ToString());
        Assert.Equal("198.51.100.7:3478", settings.Stun.ToString());
    }

    [Theory]
    [InlineData("""{ "relay": "198.51.100.7", "ppp": { "user": "a", "password": "b" }, "colour": 1 }""", "colour: unknown key")]
    [InlineData("""{ "relay": "198.51.100.7", "ppp": { "user": "a", "password": "b", "pin": 1 } }""", "ppp.pin: unknown key")]
    [InlineData("""{ "relay": 7, "ppp": { "user": "a", "password": "b" } }""", "relay: wrong type, expected a string")]
    [InlineData("""{ "relay": "198.51.100.7", "routes": "10.0.0.0/8", "ppp": { "user": "a", "password": "b" } }""", "routes: wrong type, expected an array")]
    [InlineData("""{ "relay": "198.51.100.7", "tun": null, "ppp": { "user": "a", "password": "b" } }""", "tun: must not be null")]
    [InlineData("""{ "relay": "198.51.100.7", """, "invalid JSON")]
    public void Structural_errors_name_the_key(string json, string expected)
    {
        var (config, errors) = ConfigLoader.Load(json);

        Assert.Null(config);
        Assert.Contains(expected, Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("relay", "\"\"", "relay: required")]
    [InlineData("relay", "\"relay.example\"", "relay: not an IPv4 address")]
    [InlineData("relay", "\"198.51.100.7:0\"", "relay: not an IPv4 address")]
    [InlineData("stun", "\"198.51.100.7:99999\"", "stun: not an IPv4 address")]
    [InlineData("mode", "\"sometimes\"", "mode: must be \"auto\", \"always\" or \"never\"")]
    [InlineData("routes", "[\"10.0.0.1/8\"]", "routes[0]: not an IPv4 address or prefix")]
    [InlineData("routes", "[\"10.0.0.0/8\", \"10.0.0.0/8\"]", "routes[1]: duplicate of routes[0]")]
    [InlineData("routes", "[\"0.0.0.0/0\"]", "routes[0]: covers the relay's own address 198.51.100.7")]
    [InlineData("tunnel", "{ \"secret\": \"\" }", "tunnel.secret: empty")]
    [InlineData("tunnel", "{ \"helloIntervalSeconds\": 0 }", "tunnel.helloIntervalSeconds: must be between 1 and 3600")]
    [InlineData("ppp", "{ \"user\": \"a\", \"password\": \"b\", \"echoFailures\": 0 }", "ppp.echoFailures: must be between 1 and 100")]
    [InlineData("tun", "{ \"name\": \"a-name-far-too-long\" }", "tun.name: must be an interface name")]
    [InlineData("hooks", "{ \"up\": \" \" }", "hooks.up: empty; use null")]
    [InlineData("reconnect", "{ \"initialDelayMs\": 5000, \"maxDelayMs\": 1000 }", "reconnect.maxDelayMs: must not be below reconnect.initialDelayMs")]
    public void Semantic_errors_name_the_key(string key, string value, string expected)
    {
        var members = new Dictionary<string, string>
        {
            ["relay"] = "\"198.51.100.7\"",
            ["ppp"] = "{ \"user\": \"a\", \"password\": \"b\" }",
            [key] = value,
        };
        var json = "{ " + string.Join(", ", members.Select(m => $"\"{m.Key}\": {m.Value}")) + " }";

        var (config, errors) = ConfigLoader.Load(json);

        Assert.Null(config);
        Assert.Contains(errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_semantic_error_is_reported_at_once()
    {
        var (_, errors) = ConfigLoader.Load("""{ "relay": "", "mode": "x", "ppp": { "user": "", "password": "" } }""");

        Assert.Equal(["relay", "mode", "ppp.user", "ppp.password"], errors.Select(e => e.Path));
    }

    [Fact]
    public void The_printed_default_reads_back_as_the_same_configuration_apart_from_the_required_keys()
    {
        var json = ConfigLoader.Serialize(new ClientConfig());
        var (_, errors) = ConfigLoader.Load(json);

        Assert.Equal(["relay", "ppp.user", "ppp.password"], errors.Select(e => e.Path));
    }
}
