using Relay.Server.Configuration;
using Relay.Server.Firewall;
using Relay.Server.Hosting;

namespace Relay.Server.Tests.Firewall;

/// <summary>What the generated ruleset says for each configuration input (it is loaded for real in Relay.Appliance.Tests).</summary>
public class NftablesRulesetTests
{
    private static RelayConfig Load(string json)
    {
        var (config, errors) = ConfigLoader.Load(json);
        Assert.Empty(errors);
        return config!;
    }

    [Fact]
    public void Listen_ports_follow_the_config_and_a_specific_address_is_matched()
    {
        var rules = NftablesRuleset.Render(Load("""{ "listen": { "l2tp": "192.0.2.10:1702", "stun": "[2001:db8::1]:3479" } }"""));
        Assert.Contains("ip daddr 192.0.2.10 udp dport 1702 counter name l2tp_in accept", rules, StringComparison.Ordinal);
        Assert.Contains("ip6 daddr 2001:db8::1 udp dport 3479 counter name stun_in accept", rules, StringComparison.Ordinal);
        Assert.Contains("policy drop;", rules, StringComparison.Ordinal);
        Assert.Contains("counter name dropped_in drop", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateways_are_split_by_family_and_only_public_pools_are_forwarded()
    {
        var rules = NftablesRuleset.Render(Load("""
            { "pools": [ { "name": "a", "range": "10.201.0.0/16" }, { "name": "b", "range": "198.51.100.0/28", "realm": "public" } ],
              "firewall": { "gateways": [ "203.0.113.7", "2001:db8::/64" ] } }
            """));
        Assert.Contains("type ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = { 203.0.113.7 }", rules, StringComparison.Ordinal);
        Assert.Contains("elements = { 2001:db8::/64 }", rules, StringComparison.Ordinal);
        Assert.Contains("elements = { 198.51.100.0/28 }", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("10.201.0.0", rules, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "metrics": { "listen": null } }""", "metrics.listen is null: metrics off", "tcp dport 9641")]
    [InlineData("""{ "metrics": { "listen": "127.0.0.1:9641" } }""", "loopback only", "tcp dport 9641")]
    [InlineData("""{ "metrics": { "listen": "0.0.0.0:9641" } }""", "firewall.metricsFrom is empty, so only this host may scrape", "tcp dport 9641")]
    [InlineData("""{ "metrics": { "listen": "0.0.0.0:9641" }, "firewall": { "metricsFrom": [ "10.0.0.0/8" ] } }""", "ip saddr { 10.0.0.0/8 } tcp dport 9641 counter name metrics_in accept", "ip6 saddr")]
    public void Metrics_are_reachable_only_where_configured(string json, string present, string absent)
    {
        var rules = NftablesRuleset.Render(Load(json));
        Assert.Contains(present, rules, StringComparison.Ordinal);
        Assert.DoesNotContain(absent, rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_firewall_sources_are_errors_with_their_path()
    {
        var (_, errors) = ConfigLoader.Load("""{ "firewall": { "gateways": [ "203.0.113.7", "not-an-ip" ], "sshFrom": [ "10.0.0.1/8" ], "metricsFrom": [ "7" ] } }""");
        Assert.Equal(
        [
            "firewall.gateways[1]: not an IP address or CIDR (like 203.0.113.7, 198.51.100.0/24 or 2001:db8::/32)",
            "firewall.metricsFrom[0]: not an IP address or CIDR (like 203.0.113.7, 198.51.100.0/24 or 2001:db8::/32)",
            "firewall.sshFrom[0]: not an IP address or CIDR (like 203.0.113.7, 198.51.100.0/24 or 2001:db8::/32)",
        ], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Secret_file_must_be_absolute_and_not_set_with_a_secret()
    {
        var (_, errors) = ConfigLoader.Load("""{ "tunnel": { "secretFile": "relative" } }""");
        Assert.Equal(["tunnel.secretFile: must be an absolute path or null"], errors.Select(e => e.ToString()));
        (_, errors) = ConfigLoader.Load("""{ "tunnel": { "secretFile": "/var/lib/relay/s", "secret": "x" } }""");
        Assert.Equal(["tunnel.secretFile: set together with tunnel.secret; keep one of them"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Print_firewall_uses_the_given_config()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "firewall": { "gateways": [ "203.0.113.7" ] } }""");
            var stdout = new StringWriter();
            Assert.Equal(0, CommandLine.Run(["--print-firewall", "--config", path], stdout, new StringWriter()));
            Assert.StartsWith("#!/usr/sbin/nft -f\n", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains($"from {path}.", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains("elements = { 203.0.113.7 }", stdout.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
