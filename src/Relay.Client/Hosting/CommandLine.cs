using Relay.Client.Configuration;
using Relay.Client.Tunnel;
using Relay.DataPlane.Stun;

namespace Relay.Client.Hosting;

/// <summary>relay-client's command line. Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad configuration.</summary>
internal static class CommandLine
{
    public const string Version = "0.1.0";

    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitBadConfig = 2;

    public const string HelpText = """
        relay-client - Relay client: NAT discovery, then (when needed) an L2TPv2/PPP tunnel to relayd
        that carries this host's IPsec (IKE and ESP) to its peers.

        Usage:
          relay-client --config PATH              run: probe (mode auto), then tunnel or direct
          relay-client --config PATH --probe      only run NAT discovery; print the decision as one JSON line
          relay-client --check-config PATH        validate a configuration file, print every error, and exit
          relay-client --print-default-config     print the built-in default configuration as JSON
          relay-client --help                     show this help
          relay-client --version                  show the version

        NAT discovery sends STUN Binding requests from UDP 4500, 500 (IKE) and 1701 (L2TP) to relayd's STUN
        service. The tunnel is needed when a NAT changes IKE's address or port, or when IKE's ports get no
        answer but L2TP's does. mode "always" skips the probe and tunnels; "never" never tunnels.
        Tunnel: TUN device tun.name (default relay0) with the address relayd's IPCP gives, the MTU PPP
        negotiated, and routes for every entry of routes; hooks.up then runs with RELAY_EVENT, RELAY_DECISION,
        RELAY_REASON, RELAY_SERVER, RELAY_ROUTES, RELAY_INTERFACE, RELAY_LOCAL_ADDRESS, RELAY_PEER_ADDRESS,
        RELAY_MTU and RELAY_DNS set (hooks.down likewise on teardown). A lost link (HELLO or LCP echo
        unanswered, CDN or StopCCN from relayd, relayd restarted) is redialled with capped exponential
        backoff and jitter (reconnect.*).

        The configuration is JSON; every key is described in docs/configuration.md. Unknown keys and wrong
        types are errors, named by their JSON path (for example "routes[1]: duplicate of routes[0]").

        Signals: SIGTERM or SIGINT: CDN and StopCCN to relayd, routes and TUN removed, hooks.down run, exit 0.
        Exit codes: 0 ok, 1 runtime failure (e.g. the UDP port cannot be bound), 2 bad usage or configuration.
        Needs CAP_NET_ADMIN (TUN, routes) and CAP_NET_BIND_SERVICE (ports 500 and 1701).
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? configPath = null;
        string? checkPath = null;
        var printDefault = false;
        var probe = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    stdout.WriteLine(HelpText);
                    return ExitOk;
                case "--version":
                    stdout.WriteLine($"relay-client {Version}");
                    return ExitOk;
                case "--print-default-config":
                    printDefault = true;
                    break;
                case "--probe":
                    probe = true;
                    break;
                case "--config" or "-c" when i + 1 < args.Length:
                    configPath = args[++i];
                    break;
                case "--check-config" when i + 1 < args.Length:
                    checkPath = args[++i];
                    break;
                default:
                    return Usage(stderr, args[i] is "--config" or "-c" or "--check-config"
                        ? $"{args[i]} needs a PATH"
                        : $"unknown argument '{args[i]}'");
            }
        }
        if (printDefault)
        {
            stdout.WriteLine(ConfigLoader.Serialize(new ClientConfig()));
            return ExitOk;
        }
        if (checkPath is not null)
        {
            var (_, errors) = ConfigLoader.LoadFile(checkPath);
            if (ReportErrors(checkPath, errors, stderr))
            {
                return ExitBadConfig;
            }
            stdout.WriteLine($"{checkPath}: ok");
            return ExitOk;
        }
        if (configPath is null)
        {
            return Usage(stderr, "--config PATH is needed (relay and ppp.user have no useful default)");
        }
        var (config, loadErrors) = ConfigLoader.LoadFile(configPath);
        if (ReportErrors(configPath, loadErrors, stderr) || config is null)
        {
            return ExitBadConfig;
        }
        var settings = ClientSettings.From(config);
        if (probe)
        {
            stdout.WriteLine(NatProbe.Run(settings.ProbeOptions()).ToJson());
            return ExitOk;
        }
        var log = new Log(stderr);
        log.Info($"relay-client {Version} starting with {configPath}: relay {settings.Relay}, stun {settings.Stun}, mode {config.Mode}");
        using var signal = new ShutdownSignal();
        using var runner = new ClientRunner(settings, log, signal);
        return runner.Run();
    }

    private static bool ReportErrors(string path, IReadOnlyList<ConfigError> errors, TextWriter stderr)
    {
        foreach (var error in errors)
        {
            stderr.WriteLine($"{path}: {error}");
        }
        return errors.Count > 0;
    }

    private static int Usage(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"relay-client: {problem}");
        stderr.WriteLine("Try 'relay-client --help'.");
        return ExitBadConfig;
    }
}
