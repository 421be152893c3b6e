using Relay.Server.Api;
using Relay.Server.Configuration;

namespace Relay.Server.Tests.Api;

public class NextStepsTests
{
    [Fact]
    public void The_built_in_default_asks_for_tunnel_authentication_users_and_gateways()
    {
        var steps = NextSteps.For(new RelayConfig { Ppp = new PppConfig { SecretsFile = "/nonexistent/relay-ppp-secrets" } });
        Assert.Collection(steps,
            s => Assert.StartsWith("tunnel authentication is off", s, StringComparison.Ordinal),
            s => Assert.StartsWith("ppp.secretsFile /nonexistent/relay-ppp-secrets does not exist", s, StringComparison.Ordinal),
            s => Assert.StartsWith("firewall.gateways is empty: IKE/ESP only between sessions", s, StringComparison.Ordinal));
    }

    [Fact]
    public void A_public_pool_without_tun_or_gateway_is_named()
    {
        var secrets = Path.GetTempFileName();
        try
        {
            var config = new RelayConfig
            {
                Tunnel = new TunnelConfig { SecretFile = "/var/lib/relay/tunnel-secret" },
                Ppp = new PppConfig { SecretsFile = secrets },
                Pools = [new PoolConfig { Name = "gw", Range = "198.18.10.0/24", Realm = "public" }],
            };
            var steps = NextSteps.For(config);
            Assert.Collection(steps,
                s => Assert.StartsWith("pool(s) gw are public but dataplane.tun.name is null", s, StringComparison.Ordinal),
                s => Assert.StartsWith("firewall.gateways is empty: the firewall", s, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(secrets);
        }
    }

    [Fact]
    public void A_complete_configuration_needs_nothing_more()
    {
        var secrets = Path.GetTempFileName();
        try
        {
            var config = new RelayConfig
            {
                Tunnel = new TunnelConfig { Secret = "s3cret" },
                Ppp = new PppConfig { SecretsFile = secrets },
                Pools = [new PoolConfig { Name = "gw", Range = "198.18.10.0/24", Realm = "public" }],
                Dataplane = new DataplaneConfig { Tun = new DataplaneTunConfig { Name = "relay0" } },
                Firewall = new FirewallConfig { Gateways = ["192.0.2.1"] },
            };
            Assert.Empty(NextSteps.For(config));
        }
        finally
        {
            File.Delete(secrets);
        }
    }
}
