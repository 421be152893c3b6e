using System.Net.Sockets;
using Relay.Server.Configuration;
using Relay.Server.Stun;

namespace Relay.Server.Hosting;

/// <summary>Runs the services a configuration asks for until SIGTERM or SIGINT.</summary>
internal static class Daemon
{
    public static int Run(RelayConfig config, string source, Log log)
    {
        log.Info($"relayd {CommandLine.Version} starting with {source}");
        LogNotYetServed(config, log);
        EndpointText.TryParse(config.Listen.Stun, out var stunEndpoint);
        using var signal = new ShutdownSignal();
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
        signal.Wait();
        log.Info($"received {signal.Received}, stopping");
        stun.Dispose();
        log.Info($"stun: stopped: {stun.Summary()}");
        log.Info("relayd stopped");
        return 0;
    }

    /// <summary>Keys that are parsed and validated but have no service behind them yet: said once, never faked.</summary>
    private static void LogNotYetServed(RelayConfig config, Log log)
    {
        log.Info($"listen.l2tp {config.Listen.L2tp}: not yet served");
        foreach (var pool in config.Pools)
        {
            log.Info($"pool {pool.Name} {pool.Range} ({pool.Realm}): not yet served");
        }
        log.Info($"tunnel.secret {(config.Tunnel.Secret is null ? "null (no tunnel authentication)" : "set")}: not yet served");
        log.Info($"ppp.secretsFile {config.Ppp.SecretsFile ?? "null"}: not yet served");
        log.Info($"control.socket {config.Control.Socket}: not yet served");
        log.Info($"metrics.listen {config.Metrics.Listen ?? "null (off)"}: not yet served");
    }
}
