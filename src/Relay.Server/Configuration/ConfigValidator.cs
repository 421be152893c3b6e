using Relay.Control.Addressing;

namespace Relay.Server.Configuration;

/// <summary>
/// The one validator for <see cref="RelayConfig"/>, used at start-up, by --check-config and (later) on
/// reload. Returns every problem, each with its JSON path.
/// </summary>
internal static class ConfigValidator
{
    public const string NotAnEndpoint = "not an address:port (like 0.0.0.0:3478 or [::]:3478)";

    public static IReadOnlyList<ConfigError> Validate(RelayConfig config)
    {
        var errors = new List<ConfigError>();
        ValidateListen(config.Listen, errors);
        ValidatePools(config.Pools, errors);
        ValidateTunnel(config.Tunnel, errors);
        ValidatePpp(config, errors);
        ValidateDataplane(config, errors);
        if (!Path.IsPathFullyQualified(config.Control.Socket))
        {
            errors.Add(new("control.socket", "must be an absolute path"));
        }
        if (config.Metrics.Listen is { } metrics && !EndpointText.TryParse(metrics, out _))
        {
            errors.Add(new("metrics.listen", NotAnEndpoint + " or null"));
        }
        ValidateFirewall(config.Firewall, errors);
        return errors;
    }

    private static void ValidateFirewall(FirewallConfig firewall, List<ConfigError> errors)
    {
        Sources(firewall.Gateways, "firewall.gateways", errors);
        Sources(firewall.MetricsFrom, "firewall.metricsFrom", errors);
        Sources(firewall.SshFrom, "firewall.sshFrom", errors);
    }

    private static void Sources(List<string> sources, string path, List<ConfigError> errors)
    {
        for (var i = 0; i < sources.Count; i++)
        {
            if (!Firewall.NetworkText.TryParse(sources[i], out _))
            {
                errors.Add(new($"{path}[{i}]", "not an IP address or CIDR (like 203.0.113.7, 198.51.100.0/24 or 2001:db8::/32)"));
            }
        }
    }

    private static void ValidateTunnel(TunnelConfig tunnel, List<ConfigError> errors)
    {
        if (tunnel.Secret is { Length: 0 })
        {
            errors.Add(new("tunnel.secret", "empty; use null to turn tunnel authentication off"));
        }
        if (tunnel.SecretFile is { } secretFile)
        {
            if (!Path.IsPathFullyQualified(secretFile))
            {
                errors.Add(new("tunnel.secretFile", "must be an absolute path or null"));
            }
            else if (tunnel.Secret is not null)
            {
                errors.Add(new("tunnel.secretFile", "set together with tunnel.secret; keep one of them"));
            }
        }
        foreach (var (host, secret) in tunnel.PeerSecrets)
        {
            if (string.IsNullOrEmpty(host))
            {
                errors.Add(new("tunnel.peerSecrets", "a host name must not be empty"));
            }
            else if (string.IsNullOrEmpty(secret))
            {
                errors.Add(new($"tunnel.peerSecrets.{host}", "must not be empty"));
            }
        }
        if (tunnel.HideAvps && tunnel.Secret is null && tunnel.SecretFile is null && tunnel.PeerSecrets.Count == 0)
        {
            errors.Add(new("tunnel.hideAvps", "needs tunnel.secret, tunnel.secretFile or tunnel.peerSecrets: hiding uses the shared secret"));
        }
        if (string.IsNullOrWhiteSpace(tunnel.HostName) || System.Text.Encoding.UTF8.GetByteCount(tunnel.HostName) > 255)
        {
            errors.Add(new("tunnel.hostName", "must be 1 to 255 octets"));
        }
        Range(errors, "tunnel.helloIntervalSeconds", tunnel.HelloIntervalSeconds, 1, 3600);
        Range(errors, "tunnel.retries", tunnel.Retries, 1, 20);
        Range(errors, "tunnel.retransmitCapSeconds", tunnel.RetransmitCapSeconds, 8, 120, "RFC 2661 §5.8 forbids a cap below 8 seconds");
        Range(errors, "tunnel.receiveWindow", tunnel.ReceiveWindow, 1, 1024);
        Range(errors, "tunnel.maxTunnels", tunnel.MaxTunnels, 1, 65535);
        Range(errors, "tunnel.maxSessionsPerTunnel", tunnel.MaxSessionsPerTunnel, 1, 65535);
        Range(errors, "tunnel.maxSessions", tunnel.MaxSessions, 1, 1 << 20);
        Range(errors, "tunnel.sccrqPerSecondPerSource", tunnel.SccrqPerSecondPerSource, 1, 100_000);
    }

    private static void ValidatePpp(RelayConfig config, List<ConfigError> errors)
    {
        var ppp = config.Ppp;
        if (ppp.SecretsFile is { } secrets && !Path.IsPathFullyQualified(secrets))
        {
            errors.Add(new("ppp.secretsFile", "must be an absolute path or null"));
        }
        if (ppp.Auth.Count == 0 && ppp.SecretsFile is not null)
        {
            errors.Add(new("ppp.auth", "at least one method (\"mschapv2\", \"chap\", \"pap\") when ppp.secretsFile is set"));
        }
        for (var i = 0; i < ppp.Auth.Count; i++)
        {
            if (ppp.Auth[i] is not ("mschapv2" or "chap" or "pap"))
            {
                errors.Add(new($"ppp.auth[{i}]", "must be \"mschapv2\", \"chap\" or \"pap\""));
            }
            else if (ppp.Auth.IndexOf(ppp.Auth[i]) < i)
            {
                errors.Add(new($"ppp.auth[{i}]", $"duplicate of ppp.auth[{ppp.Auth.IndexOf(ppp.Auth[i])}]"));
            }
        }
        Range(errors, "ppp.mru", ppp.Mru, 576, 1500, "RFC 1661 §6.1 needs at least 576 to be safe; the outer path is 1500");
        Range(errors, "ppp.echoIntervalSeconds", ppp.EchoIntervalSeconds, 1, 3600);
        Range(errors, "ppp.echoFailures", ppp.EchoFailures, 1, 100);
        Range(errors, "ppp.maxAuthFailuresPerTunnelPerMinute", ppp.MaxAuthFailuresPerTunnelPerMinute, 1, 10_000);
        if (ppp.LocalAddress is { } local)
        {
            if (!Ipv4Address.TryParse(local, out var address))
            {
                errors.Add(new("ppp.localAddress", "not an IPv4 address"));
            }
            else if (!config.Pools.Exists(p => p is not null && Ipv4Cidr.TryParse(p.Range, out var c) is null && new Ipv4Prefix(c.Network, c.PrefixLength).Contains(address)))
            {
                errors.Add(new("ppp.localAddress", "must lie inside one of the pools (it is reserved there)"));
            }
        }
        for (var i = 0; i < ppp.Dns.Count; i++)
        {
            if (!System.Net.IPAddress.TryParse(ppp.Dns[i], out var dns) || dns.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                errors.Add(new($"ppp.dns[{i}]", "not an IPv4 address"));
            }
        }
    }

    private static void ValidateDataplane(RelayConfig config, List<ConfigError> errors)
    {
        var dataplane = config.Dataplane;
        if (dataplane.Workers is { } workers)
        {
            Range(errors, "dataplane.workers", workers, 1, 1024);
        }
        Range(errors, "dataplane.batchSize", dataplane.BatchSize, 1, 1024);
        Range(errors, "dataplane.statsSeconds", dataplane.StatsSeconds, 0, 86_400);
        if (dataplane.Tun.Name is { } name && (name.Length is 0 or > 15 || name.Contains('/', StringComparison.Ordinal) || name.Any(char.IsWhiteSpace)))
        {
            errors.Add(new("dataplane.tun.name", "must be an interface name of 1 to 15 characters without '/' or spaces, or null"));
        }
        if (FastPathModes.Parse(dataplane.FastPath) is null)
        {
            errors.Add(new("dataplane.fastPath", "must be \"off\", \"xdp\", \"xdp-generic\" or \"tc\""));
        }
        else if (dataplane.FastPath != "off" && (dataplane.FastPathInterface is not { Length: > 0 and <= 15 } fastPathInterface
            || fastPathInterface.Contains('/', StringComparison.Ordinal) || fastPathInterface.Any(char.IsWhiteSpace)))
        {
            errors.Add(new("dataplane.fastPathInterface", "must name the uplink interface (1 to 15 characters) when dataplane.fastPath is not \"off\""));
        }
        if (!dataplane.FastPathPins.StartsWith("/sys/fs/bpf/", StringComparison.Ordinal) || dataplane.FastPathPins.Length <= "/sys/fs/bpf/".Length)
        {
            errors.Add(new("dataplane.fastPathPins", "must be a directory under /sys/fs/bpf/"));
        }
        if (dataplane.KernelRoute == true && dataplane.Tun.Name is null)
        {
            errors.Add(new("dataplane.kernelRoute", "true needs dataplane.tun.name: the kernel is reached through TUN"));
        }
        if (config.Policy.Allow.Count == 0)
        {
            errors.Add(new("policy.allow", "at least one rule (the default allows \"esp\", \"udp/500\", \"udp/4500\")"));
        }
        for (var i = 0; i < config.Policy.Allow.Count; i++)
        {
            if (!PolicyRuleText.TryParse(config.Policy.Allow[i], out _))
            {
                errors.Add(new($"policy.allow[{i}]", $"\"{config.Policy.Allow[i]}\": {PolicyRuleText.Expected}"));
            }
        }
    }

    private static void Range(List<ConfigError> errors, string path, int value, int min, int max, string? why = null)
    {
        if (value < min || value > max)
        {
            errors.Add(new(path, $"must be between {min} and {max}{(why is null ? "" : $" ({why})")}"));
        }
    }

    private static void ValidateListen(ListenConfig listen, List<ConfigError> errors)
    {
        var l2tpOk = EndpointText.TryParse(listen.L2tp, out var l2tp);
        if (!l2tpOk)
        {
            errors.Add(new("listen.l2tp", NotAnEndpoint));
        }
        if (!EndpointText.TryParse(listen.Stun, out var stun))
        {
            errors.Add(new("listen.stun", NotAnEndpoint));
        }
        else if (l2tpOk && l2tp.Port == stun.Port && (l2tp.Address.Equals(stun.Address) || IsAny(l2tp) || IsAny(stun)))
        {
            errors.Add(new("listen.stun", "same UDP port as listen.l2tp"));
        }
    }

    /// <summary>The pool checks alone, for the control API's POST /v1/pools (paths are pools[i]...).</summary>
    internal static List<ConfigError> ValidatePoolList(List<PoolConfig> pools)
    {
        var errors = new List<ConfigError>();
        ValidatePools(pools, errors);
        return errors;
    }

    private static bool IsAny(System.Net.IPEndPoint e)
        => e.Address.Equals(System.Net.IPAddress.Any) || e.Address.Equals(System.Net.IPAddress.IPv6Any);

    private static void ValidatePools(List<PoolConfig> pools, List<ConfigError> errors)
    {
        if (pools.Count == 0)
        {
            errors.Add(new("pools", "at least one pool is needed"));
        }
        var parsed = new Ipv4Cidr?[pools.Count];
        for (var i = 0; i < pools.Count; i++)
        {
            var pool = pools[i];
            var at = $"pools[{i}]";
            if (pool is null)
            {
                errors.Add(new(at, "must be an object, not null"));
                continue;
            }
            if (string.IsNullOrWhiteSpace(pool.Name))
            {
                errors.Add(new($"{at}.name", "must not be empty"));
            }
            else
            {
                var same = pools.FindIndex(0, i, p => p?.Name == pool.Name);
                if (same >= 0)
                {
                    errors.Add(new($"{at}.name", $"duplicate of pools[{same}]"));
                }
            }
            if (pool.Realm is not ("private" or "public"))
            {
                errors.Add(new($"{at}.realm", "must be \"private\" or \"public\""));
            }
            if (Ipv4Cidr.TryParse(pool.Range, out var cidr) is { } problem)
            {
                errors.Add(new($"{at}.range", problem));
                continue;
            }
            parsed[i] = cidr;
            if (cidr.PrefixLength < AddressPool.MinPrefixLength)
            {
                errors.Add(new($"{at}.range", $"too large: at most a /{AddressPool.MinPrefixLength}"));
            }
            for (var k = 0; k < pool.Exclusions.Count; k++)
            {
                if (!Ipv4Prefix.TryParse(pool.Exclusions[k], out var excluded))
                {
                    errors.Add(new($"{at}.exclusions[{k}]", "not an IPv4 address or CIDR (like 10.201.0.1 or 10.201.0.0/28)"));
                }
                else if (!new Ipv4Prefix(cidr.Network, cidr.PrefixLength).Contains(excluded))
                {
                    errors.Add(new($"{at}.exclusions[{k}]", $"outside {pool.Range}"));
                }
            }
            for (var j = 0; j < i; j++)
            {
                if (parsed[j] is { } earlier && earlier.Overlaps(cidr))
                {
                    errors.Add(new($"{at}.range", $"overlaps pools[{j}]"));
                    break;
                }
            }
        }
    }
}
