using Relay.Server.Configuration;

namespace Relay.Server.Api;

/// <summary>
/// What an operator still has to configure before the relay does its job, read from the running
/// configuration: shown by <c>relayctl status</c> so a fresh appliance explains itself.
/// </summary>
internal static class NextSteps
{
    public static List<string> For(RelayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var steps = new List<string>();
        if (config.Tunnel.Secret is null && config.Tunnel.SecretFile is null && config.Tunnel.PeerSecrets.Count == 0)
        {
            steps.Add("tunnel authentication is off: set tunnel.secretFile (a secret is generated at the next start) or tunnel.secret");
        }
        if (config.Ppp.SecretsFile is null)
        {
            steps.Add("ppp.secretsFile is null: every PPP login is refused; point it at a chap-secrets file");
        }
        else if (!File.Exists(config.Ppp.SecretsFile))
        {
            steps.Add($"ppp.secretsFile {config.Ppp.SecretsFile} does not exist: every PPP login is refused until it lists users (pppd chap-secrets format), then relayctl reload");
        }
        var publicPools = config.Pools.Where(p => p.Realm == "public").Select(p => p.Name).ToList();
        if (publicPools.Count > 0 && config.Dataplane.Tun.Name is null)
        {
            steps.Add($"pool(s) {string.Join(", ", publicPools)} are public but dataplane.tun.name is null: their traffic to a gateway is dropped (no_route); set it and restart");
        }
        if (config.Firewall.Gateways.Count == 0)
        {
            steps.Add(publicPools.Count > 0
                ? "firewall.gateways is empty: the firewall (relayd --print-firewall) lets no IKE/ESP reach the public gateway; list the IPsec gateways"
                : "firewall.gateways is empty: IKE/ESP only between sessions (FIG. 1/3); for a public gateway (FIG. 2) add a public pool, dataplane.tun.name and the gateway");
        }
        return steps;
    }
}
