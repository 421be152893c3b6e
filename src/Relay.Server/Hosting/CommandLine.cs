using Relay.Server.Configuration;

namespace Relay.Server.Hosting;

/// <summary>relayd's command line. Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad configuration.</summary>
internal static class CommandLine
{
    public const string Version = "0.1.0";

    public const int ExitOk = 0;
    public const int ExitBadConfig = 2;

    public const string HelpText = """
        relayd - Relay server: carries IPsec through NATs inside L2TPv2/PPP.
        Serves NAT discovery (STUN, listen.stun) and the LNS (listen.l2tp): L2TP tunnels and
        sessions, PPP authentication against ppp.secretsFile (chap-secrets format) and IPCP
        addresses from the pools. Forwarding between sessions is not built yet.

        Usage:
          relayd [--config PATH]        run the daemon (built-in default configuration without --config)
          relayd --check-config PATH    validate a configuration file, print every error, and exit
          relayd --print-default-config print the built-in default configuration as JSON
          relayd --print-firewall [--config PATH]
                                        print the nftables ruleset for the configuration (load it with nft -f)
          relayd --help                 show this help
          relayd --version              show the version

        The configuration is JSON; every key is described in docs/configuration.md.
        Unknown keys and wrong types are errors. Errors name the key by its JSON path,
        for example "pools[1].range: overlaps pools[0]".

        Signals: SIGTERM or SIGINT stop the daemon cleanly: StopCCN to every tunnel, then exit 0.
        Exit codes: 0 ok, 1 runtime failure (e.g. a port cannot be bound), 2 bad usage, configuration
        or secrets file (each error is printed with its JSON path or line number).
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? configPath = null;
        string? checkPath = null;
        var printDefault = false;
        var printFirewall = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    stdout.WriteLine(HelpText);
                    return ExitOk;
                case "--version":
                    stdout.WriteLine($"relayd {Version}");
                    return ExitOk;
                case "--print-default-config":
                    printDefault = true;
                    break;
                case "--print-firewall":
                    printFirewall = true;
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
            stdout.WriteLine(ConfigLoader.Serialize(new RelayConfig()));
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
        RelayConfig config;
        if (configPath is null)
        {
            config = new RelayConfig();
        }
        else
        {
            var (loaded, errors) = ConfigLoader.LoadFile(configPath);
            if (ReportErrors(configPath, errors, stderr) || loaded is null)
            {
                return ExitBadConfig;
            }
            config = loaded;
        }
        if (printFirewall)
        {
            stdout.Write(Firewall.NftablesRuleset.Render(config, configPath ?? "the built-in default configuration"));
            return ExitOk;
        }
        return Daemon.Run(config, configPath ?? "the built-in default configuration", new Log(stderr), configPath);
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
        stderr.WriteLine($"relayd: {problem}");
        stderr.WriteLine("Try 'relayd --help'.");
        return ExitBadConfig;
    }
}
