namespace Relay.Client.Configuration;

/// <summary>The one validator for <see cref="ClientConfig"/>: every problem, each with its JSON path.</summary>
internal static class ConfigValidator
{
    public const int DefaultL2tpPort = 1701;
    public const int DefaultStunPort = 3478;

    public static IReadOnlyList<ConfigError> Validate(ClientConfig config)
    {
        var errors = new List<ConfigError>();
        if (!HostPort.TryParse(config.Relay, DefaultL2tpPort, out _))
        {
            errors.Add(new("relay", string.IsNullOrWhiteSpace(config.Relay)
                ? "required: relayd's IPv4 address, like 198.51.100.7 or 198.51.100.7:1701"
                : "not an IPv4 address or address:port (like 198.51.100.7 or 198.51.100.7:1701)"));
        }
        if (config.Stun is { } stun && !HostPort.TryParse(stun, DefaultStunPort, out _))
        {
            errors.Add(new("stun", "not an IPv4 address or address:port (like 198.51.100.7:3478), or null for the relay's address"));
        }
        if (config.Mode is not ("auto" or "always" or "never"))
        {
            errors.Add(new("mode", "must be \"auto\", \"always\" or \"never\""));
        }
        for (var i = 0; i < config.Routes.Count; i++)
        {
            if (!RoutePrefix.TryParse(config.Routes[i], out var route))
            {
                errors.Add(new($"routes[{i}]", "not an IPv4 address or prefix with clear host bits (like 192.0.2.10 or 10.20.0.0/16)"));
            }
            else if (config.Routes.FindIndex(0, i, r => RoutePrefix.TryParse(r, out var earlier) && earlier == route) is var same and >= 0)
            {
                errors.Add(new($"routes[{i}]", $"duplicate of routes[{same}]"));
            }
            else if (HostPort.TryParse(config.Relay, DefaultL2tpPort, out var relay) && Covers(route, relay.Address))
            {
                errors.Add(new($"routes[{i}]", $"covers the relay's own address {relay.Address}: the tunnel would be routed into itself"));
            }
        }
        var tunnel = config.Tunnel;
        if (tunnel.Secret is { Length: 0 })
        {
            errors.Add(new("tunnel.secret", "empty; use null to turn tunnel authentication off"));
        }
        if (string.IsNullOrWhiteSpace(tunnel.HostName) || System.Text.Encoding.UTF8.GetByteCount(tunnel.HostName) > 255)
        {
            errors.Add(new("tunnel.hostName", "must be 1 to 255 octets"));
        }
        Range(errors, "tunnel.helloIntervalSeconds", tunnel.HelloIntervalSeconds, 1, 3600);
        Range(errors, "tunnel.localPort", tunnel.LocalPort, 0, 65535);
        if (string.IsNullOrEmpty(config.Ppp.User))
        {
            errors.Add(new("ppp.user", "required: the PPP user name relayd's ppp.secretsFile knows"));
        }
        if (string.IsNullOrEmpty(config.Ppp.Password))
        {
            errors.Add(new("ppp.password", "required"));
        }
        Range(errors, "ppp.echoIntervalSeconds", config.Ppp.EchoIntervalSeconds, 1, 3600);
        Range(errors, "ppp.echoFailures", config.Ppp.EchoFailures, 1, 100);
        // IFNAMSIZ is 16 with the terminating NUL.
        if (string.IsNullOrEmpty(config.Tun.Name) || config.Tun.Name.Length > 15 || config.Tun.Name.Contains('/') || config.Tun.Name.Any(char.IsWhiteSpace))
        {
            errors.Add(new("tun.name", "must be an interface name of 1 to 15 characters without '/' or spaces"));
        }
        Range(errors, "hooks.timeoutSeconds", config.Hooks.TimeoutSeconds, 1, 3600);
        foreach (var (path, command) in new[] { ("hooks.up", config.Hooks.Up), ("hooks.down", config.Hooks.Down) })
        {
            if (command is { } c && string.IsNullOrWhiteSpace(c))
            {
                errors.Add(new(path, "empty; use null for no hook"));
            }
        }
        Range(errors, "reconnect.initialDelayMs", config.Reconnect.InitialDelayMs, 10, 3_600_000);
        Range(errors, "reconnect.maxDelayMs", config.Reconnect.MaxDelayMs, 10, 3_600_000);
        if (config.Reconnect.MaxDelayMs < config.Reconnect.InitialDelayMs)
        {
            errors.Add(new("reconnect.maxDelayMs", "must not be below reconnect.initialDelayMs"));
        }
        return errors;
    }

    private static bool Covers(RoutePrefix route, System.Net.IPAddress address)
    {
        var mask = route.PrefixLength == 0 ? 0u : uint.MaxValue << (32 - route.PrefixLength);
        return (Relay.Control.Addressing.Ipv4Address.FromIPAddress(address) & mask) == Relay.Control.Addressing.Ipv4Address.FromIPAddress(route.Network);
    }

    private static void Range(List<ConfigError> errors, string path, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(new(path, $"must be between {min} and {max}"));
        }
    }
}
