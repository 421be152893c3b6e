using Relay.Server.Configuration;

namespace Relay.Server.Tests.Configuration;

public class ConfigLoaderTests
{
    private static string[] Errors(string json) => ConfigLoader.Load(json).Errors.Select(e => e.ToString()).ToArray();

    [Fact]
    public void Empty_object_gives_the_defaults()
    {
        var (config, errors) = ConfigLoader.Load("{}");
        Assert.Empty(errors);
        Assert.Equal("0.0.0.0:1701", config!.Listen.L2tp);
        Assert.Equal("0.0.0.0:3478", config.Listen.Stun);
        Assert.Equal("10.201.0.0/16", Assert.Single(config.Pools).Range);
        Assert.Null(config.Tunnel.Secret);
        Assert.Equal("/run/relay/control.sock", config.Control.Socket);
        Assert.Equal("127.0.0.1:9641", config.Metrics.Listen);
    }

    [Fact]
    public void Keys_left_out_of_a_section_keep_their_defaults()
    {
        var (config, errors) = ConfigLoader.Load("""{"listen":{"stun":"127.0.0.1:3479"},"metrics":{"listen":null}}""");
        Assert.Empty(errors);
        Assert.Equal("0.0.0.0:1701", config!.Listen.L2tp);
        Assert.Equal("127.0.0.1:3479", config.Listen.Stun);
        Assert.Null(config.Metrics.Listen);
        Assert.Equal("/etc/relay/ppp-secrets", config.Ppp.SecretsFile);
    }

    [Fact]
    public void Print_default_round_trips_to_an_equal_valid_config()
    {
        var json = ConfigLoader.Serialize(new RelayConfig());
        var (config, errors) = ConfigLoader.Load(json);
        Assert.Empty(errors);
        Assert.Equal(json, ConfigLoader.Serialize(config!));
    }

    [Theory]
    [InlineData("""{"listen":{"stun":"0.0.0.0:3478","foo":1}}""", "listen.foo: unknown key")]
    [InlineData("""{"bogus":true}""", "bogus: unknown key")]
    [InlineData("""{"pools":[{"name":"a","range":"10.0.0.0/8","realm":"private","extra":1}]}""", "pools[0].extra: unknown key")]
    [InlineData("""{"listen":{"stun":5}}""", "listen.stun: wrong type, expected a string")]
    [InlineData("""{"listen":"0.0.0.0:1"}""", "listen: wrong type, expected an object")]
    [InlineData("""{"pools":{}}""", "pools: wrong type, expected an array")]
    [InlineData("""{"listen":{"stun":null}}""", "listen.stun: must not be null")]
    public void Structural_errors_name_the_key(string json, string expected)
        => Assert.Equal([expected], Errors(json));

    [Fact]
    public void Syntax_errors_give_the_line()
        => Assert.Contains(": invalid JSON (line 2)", Assert.Single(Errors("{\n  \"listen\": {,\n}")), StringComparison.Ordinal);

    [Fact]
    public void Validator_reports_every_error_with_its_path()
    {
        var errors = Errors("""
            {
              "listen": { "l2tp": "0.0.0.0", "stun": "nope" },
              "pools": [
                { "name": "a", "range": "10.0.0.0/8", "realm": "private" },
                { "name": "a", "range": "10.1.0.1/16", "realm": "x" },
                { "name": "b", "range": "10.2.0.0/16", "realm": "public" },
                { "name": "", "range": "198.51.100.0/31", "realm": "public" },
                { "name": "c", "range": "2001:db8::/64", "realm": "public" }
              ],
              "tunnel": { "secret": "" },
              "ppp": { "secretsFile": "relative/file" },
              "control": { "socket": "control.sock" },
              "metrics": { "listen": "localhost:80" }
            }
            """);
        Assert.Equal(
        [
            "listen.l2tp: " + ConfigValidator.NotAnEndpoint,
            "listen.stun: " + ConfigValidator.NotAnEndpoint,
            "pools[0].range: too large: at most a /12",
            "pools[1].name: duplicate of pools[0]",
            "pools[1].realm: must be \"private\" or \"public\"",
            "pools[1].range: host bits set (did you mean 10.1.0.0/16?)",
            "pools[2].range: overlaps pools[0]",
            "pools[3].name: must not be empty",
            "pools[3].range: too small: a pool needs at least a /30",
            "pools[4].range: not an IPv4 CIDR (like 10.201.0.0/16)",
            "tunnel.secret: empty; use null to turn tunnel authentication off",
            "ppp.secretsFile: must be an absolute path or null",
            "control.socket: must be an absolute path",
            "metrics.listen: " + ConfigValidator.NotAnEndpoint + " or null",
        ], errors);
    }

    [Fact]
    public void Ppp_and_pool_exclusion_errors_name_their_paths()
    {
        var errors = Errors("""
            {
              "pools": [ { "name": "p", "range": "10.201.0.0/24", "realm": "private", "exclusions": [ "10.201.0.9", "10.9.0.0/28", "x" ] } ],
              "ppp": { "auth": [ "chap", "eap", "chap" ], "mru": 300, "echoIntervalSeconds": 0, "echoFailures": 0,
                       "localAddress": "10.9.9.9", "dns": [ "198.18.53.53", "::1" ], "maxAuthFailuresPerTunnelPerMinute": 0 }
            }
            """);
        Assert.Equal(
        [
            "pools[0].exclusions[1]: outside 10.201.0.0/24",
            "pools[0].exclusions[2]: not an IPv4 address or CIDR (like 10.201.0.1 or 10.201.0.0/28)",
            "ppp.auth[1]: must be \"mschapv2\", \"chap\" or \"pap\"",
            "ppp.auth[2]: duplicate of ppp.auth[0]",
            "ppp.mru: must be between 576 and 1500 (RFC 1661 §6.1 needs at least 576 to be safe; the outer path is 1500)",
            "ppp.echoIntervalSeconds: must be between 1 and 3600",
            "ppp.echoFailures: must be between 1 and 100",
            "ppp.maxAuthFailuresPerTunnelPerMinute: must be between 1 and 10000",
            "ppp.localAddress: must lie inside one of the pools (it is reserved there)",
            "ppp.dns[1]: not an IPv4 address",
        ], errors);
    }

    [Fact]
    public void Tunnel_limits_and_timers_are_range_checked()
    {
        var errors = Errors("""{ "tunnel": { "retransmitCapSeconds": 4, "retries": 0, "receiveWindow": 0, "hideAvps": true, "hostName": "" } }""");
        Assert.Contains("tunnel.retransmitCapSeconds: must be between 8 and 120 (RFC 2661 §5.8 forbids a cap below 8 seconds)", errors);
        Assert.Contains("tunnel.retries: must be between 1 and 20", errors);
        Assert.Contains("tunnel.receiveWindow: must be between 1 and 1024", errors);
        Assert.Contains("tunnel.hideAvps: needs tunnel.secret, tunnel.secretFile or tunnel.peerSecrets: hiding uses the shared secret", errors);
        Assert.Contains("tunnel.hostName: must be 1 to 255 octets", errors);
    }

    [Fact]
    public void Stun_and_l2tp_cannot_share_a_port()
        => Assert.Equal(["listen.stun: same UDP port as listen.l2tp"], Errors("""{"listen":{"l2tp":"0.0.0.0:1701","stun":"127.0.0.1:1701"}}"""));

    [Theory]
    [InlineData("[::]:3478")]
    [InlineData("192.0.2.1:1")]
    [InlineData("[2001:db8::1]:65535")]
    public void Accepts_endpoints(string text) => Assert.True(EndpointText.TryParse(text, out _));

    [Theory]
    [InlineData("::1:3478")]
    [InlineData("192.0.2.1")]
    [InlineData("192.0.2.1:0")]
    [InlineData("192.0.2.1:65536")]
    [InlineData("[192.0.2.1]:80")]
    [InlineData("host:80")]
    [InlineData("192.0.2.1:+80")]
    public void Rejects_endpoints(string text) => Assert.False(EndpointText.TryParse(text, out _));
}
