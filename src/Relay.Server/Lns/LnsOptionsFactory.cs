using System.Net;
using System.Text;
using Relay.Control.Addressing;
using Relay.Control.L2tp;
using Relay.Control.L2tp.Transport;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Control.Sessions;
using Relay.Server.Configuration;

namespace Relay.Server.Lns;

/// <summary>Maps the validated configuration (and the loaded secrets) onto the LNS controller's options.</summary>
internal static class LnsOptionsFactory
{
    public static L2tpOptions CreateL2tp(TunnelConfig tunnel)
    {
        var defaultSecret = tunnel.Secret is null ? null : Encoding.UTF8.GetBytes(tunnel.Secret);
        var perPeer = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (host, secret) in tunnel.PeerSecrets)
        {
            perPeer[host] = Encoding.UTF8.GetBytes(secret);
        }
        return new L2tpOptions
        {
            Role = L2tpRole.Lns,
            HostName = tunnel.HostName,
            SecretFor = host => host is not null && perPeer.TryGetValue(host, out var s) ? s : defaultSecret,
            HideAvps = tunnel.HideAvps,
            HelloInterval = TimeSpan.FromSeconds(tunnel.HelloIntervalSeconds),
            Reliability = new ReliableDeliveryOptions
            {
                MaxRetransmissions = tunnel.Retries,
                MaxRetransmitInterval = TimeSpan.FromSeconds(tunnel.RetransmitCapSeconds),
                ReceiveWindow = (ushort)tunnel.ReceiveWindow,
            },
            MaxTunnels = tunnel.MaxTunnels,
            MaxSessionsPerTunnel = tunnel.MaxSessionsPerTunnel,
            MaxSessions = tunnel.MaxSessions,
            SccrqPerSecondPerSource = tunnel.SccrqPerSecondPerSource,
        };
    }

    /// <summary>relayd's address on the PPP links: configured, or the first usable address of the first pool.</summary>
    public static uint LocalAddress(RelayConfig config)
    {
        if (config.Ppp.LocalAddress is { } configured && Ipv4Address.TryParse(configured, out var address))
        {
            return address;
        }
        Ipv4Cidr.TryParse(config.Pools[0].Range, out var first);
        return first.Network + 1;
    }

    public static LnsOptions Create(RelayConfig config, ICredentialStore? credentials)
    {
        var local = LocalAddress(config);
        var pools = new List<PoolDefinition>();
        foreach (var pool in config.Pools)
        {
            Ipv4Cidr.TryParse(pool.Range, out var cidr);
            var range = new Ipv4Prefix(cidr.Network, cidr.PrefixLength);
            var exclusions = new List<Ipv4Prefix>();
            foreach (var text in pool.Exclusions)
            {
                exclusions.Add(Ipv4Prefix.Parse(text));
            }
            if (range.Contains(local) && !exclusions.Exists(e => e.Contains(local)))
            {
                // relayd's own address is never leased: reserved in the pool it lies in.
                exclusions.Add(Ipv4Prefix.Single(local));
            }
            pools.Add(new PoolDefinition(pool.Name, range, pool.Realm == "public" ? PoolRealm.Public : PoolRealm.Private, exclusions));
        }
        var methods = new List<PppAuthMethod>();
        if (config.Ppp.SecretsFile is not null)
        {
            foreach (var method in config.Ppp.Auth)
            {
                methods.Add(method switch
                {
                    "mschapv2" => PppAuthMethod.MsChapV2,
                    "chap" => PppAuthMethod.ChapMd5,
                    _ => PppAuthMethod.Pap,
                });
            }
        }
        var dns = new List<IPAddress>();
        foreach (var text in config.Ppp.Dns)
        {
            dns.Add(IPAddress.Parse(text));
        }
        return new LnsOptions
        {
            L2tp = CreateL2tp(config.Tunnel),
            Ppp = new PppOptions
            {
                Role = PppRole.Authenticator,
                Name = config.Tunnel.HostName,
                AuthMethods = methods,
                Credentials = credentials,
                Mru = (ushort)config.Ppp.Mru,
                EchoInterval = TimeSpan.FromSeconds(config.Ppp.EchoIntervalSeconds),
                EchoFailures = config.Ppp.EchoFailures,
                ServerAddress = Ipv4Address.ToIPAddress(local),
                DnsServers = dns,
            },
            Pools = pools,
            ServerAddresses = [local],
            MaxAuthFailuresPerTunnelPerMinute = config.Ppp.MaxAuthFailuresPerTunnelPerMinute,
        };
    }
}
