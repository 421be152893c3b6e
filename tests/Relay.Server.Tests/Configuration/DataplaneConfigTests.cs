using System.Net;
using Relay.DataPlane.Forwarding;
using Relay.Server.Configuration;
using Relay.Server.DataPlane;

namespace Relay.Server.Tests.Configuration;

/// <summary>The <c>dataplane</c> and <c>policy</c> keys: validation with paths, rule parsing, and what relayd starts with.</summary>
public class DataplaneConfigTests
{
    [Fact]
    public void Dataplane_and_policy_errors_name_their_paths()
    {
        var errors = Errors("""
            {
              "dataplane": { "workers": 0, "batchSize": 0, "statsSeconds": -1, "kernelRoute": true, "tun": { "name": "a/b" } },
              "policy": { "allow": [ "esp", "udp/0", "gre", "tcp/9-3" ] }
            }
            """);
        Assert.Equal(
        [
            "dataplane.workers: must be between 1 and 1024",
            "dataplane.batchSize: must be between 1 and 1024",
            "dataplane.statsSeconds: must be between 0 and 86400",
            "dataplane.tun.name: must be an interface name of 1 to 15 characters without '/' or spaces, or null",
            $"policy.allow[1]: \"udp/0\": {PolicyRuleText.Expected}",
            $"policy.allow[2]: \"gre\": {PolicyRuleText.Expected}",
            $"policy.allow[3]: \"tcp/9-3\": {PolicyRuleText.Expected}",
        ], errors);
        Assert.Equal(["dataplane.kernelRoute: true needs dataplane.tun.name: the kernel is reached through TUN"],
            Errors("""{ "dataplane": { "kernelRoute": true } }"""));
        Assert.Contains(Errors("""{ "policy": { "allow": [] } }"""), e => e.StartsWith("policy.allow: at least one rule", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("esp", PolicyRule.Esp, 0, 0, false)]
    [InlineData("udp/500", PolicyRule.Udp, 500, 500, false)]
    [InlineData("UDP/4500", PolicyRule.Udp, 4500, 4500, true)]
    [InlineData("tcp/443", PolicyRule.Tcp, 443, 443, false)]
    [InlineData("udp/1000-2000", PolicyRule.Udp, 1000, 2000, false)]
    [InlineData("udp/4500-4500", PolicyRule.Udp, 4500, 4500, true)]
    [InlineData("tcp", PolicyRule.Tcp, 0, 0, false)]
    [InlineData("proto/47", 47, 0, 0, false)]
    public void Policy_rules_parse(string text, byte protocol, int first, int last, bool encapsulation)
    {
        Assert.True(PolicyRuleText.TryParse(text, out var rule));
        Assert.Equal(new PolicyRule(protocol, (ushort)first, (ushort)last, encapsulation), rule);
    }

    [Theory]
    [InlineData("")]
    [InlineData("icmp")]
    [InlineData("udp/")]
    [InlineData("udp/70000")]
    [InlineData("esp/50")]
    [InlineData("proto/0")]
    [InlineData("proto/x")]
    [InlineData("udp/1-2-3")]
    public void Policy_rules_that_do_not_parse(string text) => Assert.False(PolicyRuleText.TryParse(text, out _));

    [Fact]
    public void Defaults_are_ipsec_only_no_tun_no_kernel_route_and_a_worker_per_cpu()
    {
        var config = new RelayConfig();
        var setup = DataPlaneSetup.FromConfig(config, new IPEndPoint(IPAddress.Any, 1701));
        Assert.Equal(ForwardingPolicy.IpsecOnly.Rules.ToArray(), setup.Policy.Rules.ToArray());
        Assert.Null(setup.TunName);
        Assert.False(setup.KernelRoute);
        Assert.Equal(Environment.ProcessorCount, setup.Pool.Workers);
        Assert.True(setup.Pool.Gro && setup.Pool.Gso);
        Assert.Equal(64, setup.Pool.BatchSize);
    }

    [Fact]
    public void A_tun_turns_the_kernel_route_on_unless_told_otherwise()
    {
        var config = new RelayConfig { Dataplane = new DataplaneConfig { Tun = new DataplaneTunConfig { Name = "relay0" } } };
        Assert.True(DataPlaneSetup.FromConfig(config, new IPEndPoint(IPAddress.Any, 1701)).KernelRoute);
        config.Dataplane.KernelRoute = false;
        Assert.False(DataPlaneSetup.FromConfig(config, new IPEndPoint(IPAddress.Any, 1701)).KernelRoute);
    }

    private static string[] Errors(string json) => ConfigLoader.Load(json).Errors.Select(e => e.ToString()).ToArray();
}
