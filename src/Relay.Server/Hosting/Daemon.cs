using System.Net.Sockets;
using Relay.Server.Configuration;
using Relay.Control.Ppp.Authentication;
using Relay.Server.Api;
using Relay.Server.DataPlane;
using Relay.Server.Lns;
using Relay.Server.Stun;

namespace Relay.Server.Hosting;

/// <summary>Runs the services a configuration asks for until SIGTERM or SIGINT.</summary>
internal static class Daemon
{
    public static int Run(RelayConfig config, string source, Log log, string? configPath = null)
    {
        log.Info($"relayd {CommandLine.Version} starting with {source}");
        if (config.Tunnel.SecretFile is { } secretFile)
        {
            config.Tunnel.Secret = FirstBootSecret.LoadOrCreate(secretFile, log);
            if (config.Tunnel.Secret is null)
            {
                return 2;
            }
        }
        EndpointText.TryParse(config.Listen.Stun, out var stunEndpoint);
        using var signal = new ShutdownSignal();
        EndpointText.TryParse(config.Listen.L2tp, out var l2tpEndpoint);
        StunService stun;
        try
        {
            stun = StunService.Start(stunEndpoint);
        }
        catch (SocketException e)
        {
            log.Error($"stun: cannot bind udp {config.Listen.Stun}: {e.Message}");
            return 1;
        }
        StunService.LogStart(log, stun.LocalEndPoint);
        if (PoolsContainingHostAddresses(config) is { Count: > 0 } clashes)
        {
            foreach (var clash in clashes)
            {
                log.Error(clash);
            }
            stun.Dispose();
            return 2;
        }
        if (!TryLoadSecrets(config, log, out var secrets))
        {
            stun.Dispose();
            return 2;
        }
        LnsService l2tp;
        try
        {
            l2tp = LnsService.Start(LnsOptionsFactory.Create(config, secrets), DataPlaneSetup.FromConfig(config, l2tpEndpoint), log);
        }
        catch (SocketException e)
        {
            log.Error($"l2tp: cannot bind udp {config.Listen.L2tp}: {e.Message}");
            stun.Dispose();
            return 1;
        }
        catch (Relay.DataPlane.Tun.TunException e)
        {
            log.Error($"dataplane.tun.name {config.Dataplane.Tun.Name}: {e.Message}");
            stun.Dispose();
            return 1;
        }
        catch (Relay.DataPlane.Bpf.FastPathException e)
        {
            log.Error($"dataplane.fastPath {config.Dataplane.FastPath} is required: {e.Message}");
            stun.Dispose();
            return 1;
        }
        LogDataPlane(l2tp, config, log);
        log.Info($"l2tp: listening on udp {l2tp.LocalEndPoint} as LNS \"{config.Tunnel.HostName}\", tunnel authentication {(config.Tunnel.Secret is null && config.Tunnel.PeerSecrets.Count == 0 ? "off" : "on")}");
        ControlPlane control;
        try
        {
            control = ControlPlane.Start(config, configPath, l2tp, log);
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException)
        {
            log.Error($"control: cannot serve control.socket {config.Control.Socket} or metrics.listen {config.Metrics.Listen ?? "null"}: {e.Message}");
            l2tp.Dispose();
            stun.Dispose();
            return 1;
        }
        using var systemd = SystemdNotify.FromEnvironment();
        systemd.NotifyReady(l2tp, log);
        signal.Wait();
        systemd.Send("STOPPING=1");
        log.Info($"received {signal.Received}, stopping");
        control.Dispose();
        l2tp.Dispose();
        log.Info(l2tp.DataPlaneSummaryLine());
        log.Info($"l2tp: stopped: {l2tp.Summary()}");
        stun.Dispose();
        log.Info($"stun: stopped: {stun.Summary()}");
        log.Info("relayd stopped");
        return 0;
    }

    /// <summary>
    /// A pool must never hand a client an address this host already uses on an interface: the
    /// kernel would answer for it. Checked at start (the interfaces are those of this host).
    /// </summary>
    internal static List<string> PoolsContainingHostAddresses(RelayConfig config)
    {
        var clashes = new List<string>();
        var local = LnsOptionsFactory.LocalAddress(config);
        foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    continue;
                }
                var address = Relay.Control.Addressing.Ipv4Address.FromIPAddress(unicast.Address);
                for (var i = 0; i < config.Pools.Count; i++)
                {
                    var pool = config.Pools[i];
                    Ipv4Cidr.TryParse(pool.Range, out var cidr);
                    var excluded = address == local || pool.Exclusions.Exists(e =>
                        Relay.Control.Addressing.Ipv4Prefix.TryParse(e, out var prefix) && prefix.Contains(address));
                    if (!excluded && ((address ^ cidr.Network) & cidr.Mask) == 0)
                    {
                        clashes.Add($"pools[{i}].range: {pool.Range} contains {unicast.Address}, an address of this host (interface {nic.Name}); add it to pools[{i}].exclusions or choose another range");
                    }
                }
            }
        }
        return clashes;
    }

    /// <summary>
    /// Loads ppp.secretsFile. A missing file is a warning (every login then fails, which is the
    /// safe side); a file with errors stops relayd with every error and its line (never a secret).
    /// </summary>
    private static bool TryLoadSecrets(RelayConfig config, Log log, out ICredentialStore? secrets)
    {
        secrets = null;
        if (config.Ppp.SecretsFile is not { } path)
        {
            log.Warn("ppp.secretsFile is null: PPP clients are not authenticated");
            return true;
        }
        if (!File.Exists(path))
        {
            log.Warn($"ppp.secretsFile {path}: not found; every PPP login will be refused until it exists and relayd restarts");
            secrets = ChapSecrets.Parse("").Secrets;
            return true;
        }
        var loaded = ChapSecrets.Load(path);
        if (!loaded.IsValid)
        {
            foreach (var error in loaded.Errors)
            {
                log.Error($"ppp.secretsFile {path}: {error}");
            }
            return false;
        }
        log.Info($"ppp.secretsFile {path}: {loaded.Secrets.Credentials.Count} credentials; PPP authentication {string.Join(", ", config.Ppp.Auth)}");
        secrets = loaded.Secrets;
        return true;
    }

    private static void LogDataPlane(LnsService l2tp, RelayConfig config, Log log)
    {
        var pool = l2tp.DataPlane;
        var pins = string.Join(", ", pool.Workers.Select(w => w.Cpu >= 0 ? $"cpu {w.Cpu}" : "unpinned"));
        log.Info($"dataplane: {pool.Workers.Count} workers ({pins}), batch {config.Dataplane.BatchSize}, gro {(pool.Workers[0].Socket.Gro ? "on" : config.Dataplane.Gro ? "off (tc fast path)" : "off")}, " +
                 $"gso {(config.Dataplane.Gso ? "on" : "off")}, policy allows {string.Join(", ", config.Policy.Allow)}, " +
                 $"{(pool.Tun is { } tun ? $"tun {tun.Name} ({tun.QueueCount} queues) routes {string.Join(", ", config.Pools.Select(p => p.Range))}" : "no tun")}, " +
                 $"kernel route {(pool.Table.Current.KernelRoute ? "on" : "off")}");
    }
}
