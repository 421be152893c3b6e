using System.Diagnostics;
using System.Net;
using Relay.Control.Addressing;
using Relay.Control.L2tp;
using Relay.Control.Sessions;
using Relay.DataPlane.Bpf;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.DataPlane.Tun;
using Relay.DataPlane.Workers;
using Relay.Server.DataPlane;
using Relay.Server.Hosting;

namespace Relay.Server.Lns;

/// <summary>
/// The LNS on <c>listen.l2tp</c>: the data plane (<see cref="WorkerPool"/>: one SO_REUSEPORT socket
/// and pinned thread per worker, optionally a multi-queue TUN) and one control-loop thread that owns
/// the <see cref="LnsController"/> (L2TP, PPP, leases) and the <see cref="ForwardingTable"/>. The
/// workers forward IPv4 themselves and queue control messages and PPP control frames to this loop,
/// which sends through its own slots on worker 0's socket. Session events edit the table
/// (established → PPP frames pass; ready → IPv4 flows and the address routes; closed → gone), and
/// the loop publishes once per turn, before it sends, so a peer's answer finds its entry. On stop,
/// every tunnel gets a StopCCN (result 6) and the loop waits a bounded time for the acknowledgements.
/// </summary>
internal sealed partial class LnsService : IDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(3);

    /// <summary>How often the kernel fast path's per-session counts are folded into the session counters.</summary>
    private static readonly TimeSpan FastPathFoldInterval = TimeSpan.FromSeconds(1);

    private readonly WorkerPool _pool;
    private readonly TunDevice? _tun;
    private readonly FastPath? _fastPath;
    private readonly UdpBatchSocket _sender;
    private readonly LnsController _controller;
    private readonly L2tpEngine _engine;
    private readonly Log _log;
    private readonly TimeSpan _statsInterval;
    private readonly Thread _thread;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly List<string> _pendingLog = [];
    private volatile bool _stopRequested;

    private LnsService(WorkerPool pool, TunDevice? tun, FastPath? fastPath, LnsController controller, Log log, TimeSpan statsInterval)
    {
        _pool = pool;
        _tun = tun;
        _fastPath = fastPath;
        _sender = pool.CreateControlSender();
        _controller = controller;
        _engine = controller.L2tp;
        _log = log;
        _statsInterval = statsInterval;
        _controller.SharedDataNs = key => Table.TryGet(key, out var entry) && entry is not null ? entry.Traffic.TakeNs() : null;
        _thread = new Thread(ControlLoop) { IsBackground = true, Name = "l2tp-control" };
    }

    public IPEndPoint LocalEndPoint => _pool.LocalEndPoint;

    /// <summary>The forwarding table (control loop writes; <see cref="ForwardingTable.Published"/> reports each change).</summary>
    public ForwardingTable Table => _pool.Table;
    /// <summary>The control loop is running (systemd's watchdog pings only while it is).</summary>
    public bool IsAlive => _thread.IsAlive;


    /// <summary>The workers: per-worker <see cref="ForwardingWorker.State"/> (drops by reason) and <see cref="ForwardingWorker.Counters"/>.</summary>
    public WorkerPool DataPlane => _pool;

    public LnsController Controller => _controller;

    /// <summary>
    /// Opens the TUN device (when configured), binds the workers' sockets and starts the workers and
    /// the control loop, then the kernel fast path when <c>dataplane.fastPath</c> asks for it (when it
    /// cannot start: a warning and the workers alone, or FastPathException when it is required).
    /// Throws SocketException when binding fails, TunException when TUN fails.
    /// </summary>
    public static LnsService Start(LnsOptions options, DataPlaneSetup setup, Log log)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var controller = new LnsController(options);
        var workers = setup.Pool.Workers;
        var table = new ForwardingTable(setup.Pools, workers, setup.Policy, setup.KernelRoute);
        TunDevice? tun = null;
        WorkerPool? pool = null;
        FastPath? fastPath = null;
        try
        {
            if (setup.TunName is { } name)
            {
                tun = TunDevice.Open(name, workers);
                InterfaceSetup.SetAddress(tun.Name, setup.LocalAddress, 32);
                InterfaceSetup.SetMtu(tun.Name, setup.Mtu);
                DisableIpv6(tun.Name);
                InterfaceSetup.SetUp(tun.Name);
                foreach (var prefix in setup.Pools)
                {
                    InterfaceSetup.AddRoute(tun.Name, Ipv4Address.ToIPAddress(prefix.Network), prefix.PrefixLength);
                }
            }
            pool = WorkerPool.Start(setup.Pool, table, tun);
            fastPath = StartFastPath(setup, table, log);
            var service = new LnsService(pool, tun, fastPath, controller, log, setup.StatsInterval);
            service._routedPools = [.. setup.Pools];
            service._thread.Start();
            return service;
        }
        catch
        {
            fastPath?.Dispose();
            pool?.Dispose();
            tun?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The data plane carries IPv4 only: without IPv6 on the TUN the kernel writes no neighbour
    /// discovery or MLD into it. Best effort (a kernel without IPv6 has no such file).
    /// </summary>
    private static void DisableIpv6(string name)
    {
        var path = $"/proc/sys/net/ipv6/conf/{name}/disable_ipv6";
        try
        {
            File.WriteAllText(path, "1");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left on: the workers drop what the kernel writes as not_ipv4.
        }
    }

    private static FastPath? StartFastPath(DataPlaneSetup setup, ForwardingTable table, Log log)
    {
        var options = setup.FastPath;
        if (options.Mode == FastPathMode.Off)
        {
            return null;
        }
        if (!FastPath.TryStart(options, out var fastPath, out var reason))
        {
            if (setup.FastPathRequired)
            {
                throw new FastPathException(reason!);
            }
            log.Warn($"fastpath: {reason}; forwarding in user space only");
            return null;
        }
        // Publish runs on the control loop, the only thread that syncs or folds.
        table.Published += snapshot =>
        {
            try
            {
                fastPath!.Sync(snapshot);
            }
            catch (FastPathException e)
            {
                log.Warn($"fastpath: {e.Message}; the sessions concerned stay in user space");
            }
        };
        fastPath!.Sync(table.Current);
        log.Info($"fastpath: {options.Mode} on {options.InterfaceName}, maps pinned in {options.PinDirectory}");
        if (File.Exists($"/proc/sys/net/ipv4/conf/{options.InterfaceName}/forwarding")
            && File.ReadAllText($"/proc/sys/net/ipv4/conf/{options.InterfaceName}/forwarding").Trim() == "0")
        {
            log.Warn($"fastpath: net.ipv4.conf.{options.InterfaceName}.forwarding is 0: the kernel's route lookup refuses, so every packet takes the user-space path (sysctl -w net.ipv4.conf.{options.InterfaceName}.forwarding=1)");
        }
        return fastPath;
    }

    /// <summary>The kernel fast path's counters in one line, or null when it is off.</summary>
    public string? FastPathSummaryLine()
    {
        if (_fastPath is null)
        {
            return null;
        }
        var c = _fastPath.ReadCounters();
        var line = new System.Text.StringBuilder($"fastpath: sessions={_fastPath.SessionCount} forwarded={c.Forwarded} passed={c.Passed} dropped={c.Dropped}");
        for (var i = 1; i < DropReasons.Count; i++)
        {
            if (c.Drops[i] != 0)
            {
                line.Append(' ').Append(DropReasons.Name((Relay.DataPlane.DropReason)i)).Append('=').Append(c.Drops[i]);
            }
        }
        return line.ToString();
    }

    /// <summary>Closes every tunnel gracefully and stops the loop (bounded by a few seconds), then the workers.</summary>
    public void Dispose()
    {
        _stopRequested = true;
        _pool.WakeControl();
        // The loop bounds its own wait for StopCCN acknowledgements (ShutdownGrace), so this join
        // normally returns within it. On a starved machine it may not: then the loop may still be
        // using the sockets and slots, and freeing them under it would crash the process on its way
        // out. The process is exiting anyway, so leave them to the kernel.
        if (!_thread.Join(ShutdownGrace + TimeSpan.FromSeconds(27)))
        {
            _log.Warn($"l2tp: the control loop did not stop within {(ShutdownGrace + TimeSpan.FromSeconds(27)).TotalSeconds:0} s; leaving its sockets to the process exit");
            return;
        }
        if (_fastPath is not null)
        {
            _log.Info(FastPathSummaryLine()!);
            _fastPath.Dispose();
        }
        _sender.Dispose();
        _pool.Dispose();
        _tun?.Dispose();
    }

    public string Summary()
    {
        var c = _engine.Counters;
        return $"tunnels-established={c.TunnelsEstablished} sessions-established={c.SessionsEstablished} " +
               $"tunnels-refused={c.TunnelsRefused} sessions-refused={c.SessionsRefused} auth-failures={c.AuthenticationFailures} " +
               $"malformed={c.MalformedTotal} unknown-tunnel={c.UnknownTunnel} wrong-peer={c.WrongPeer} rate-limited={c.RateLimited} " +
               $"duplicates={c.Duplicates} out-of-window={c.OutOfWindow} fsm-errors={c.FsmErrors} " +
               $"sessions-ready={_controller.Counters.Ready} ppp-auth-failures={_controller.Counters.AuthenticationFailures} " +
               $"address-refused={_controller.Counters.AddressRefused} echo-timeouts={_controller.Counters.EchoTimeouts} " +
               $"truncated={_pool.Workers.Sum(w => w.Socket.TruncatedDropped)} send-errors={_pool.Workers.Sum(w => w.Socket.SendErrors) + _sender.SendErrors}";
    }

    /// <summary>The data plane's counters in one line (also logged every dataplane.statsSeconds).</summary>
    public string DataPlaneSummaryLine() => DataPlaneSummary.Line(_pool);

    private TimeSpan Now => Stopwatch.GetElapsedTime(_start);

    private void ControlLoop()
    {
        DateTime? stopBy = null;
        var nextStats = _statsInterval > TimeSpan.Zero ? Now + _statsInterval : TimeSpan.MaxValue;
        var nextFold = _fastPath is null ? TimeSpan.MaxValue : Now + FastPathFoldInterval;
        while (true)
        {
            if (_stopRequested && stopBy is null)
            {
                stopBy = DateTime.UtcNow + ShutdownGrace;
                foreach (var id in _engine.Tunnels.Keys.ToArray())
                {
                    _engine.CloseTunnel(id, ResultCodes.StopShuttingDown, null, "relayd is shutting down", Now);
                }
                Flush();
            }
            if (stopBy is { } limit && (DateTime.UtcNow >= limit || _engine.AllStopsAcknowledged))
            {
                return;
            }
            var timeout = -1;
            if (_controller.NextDeadline() is { } deadline)
            {
                timeout = Milliseconds(deadline - Now);
            }
            foreach (var next in (ReadOnlySpan<TimeSpan>)[nextStats, nextFold])
            {
                if (next != TimeSpan.MaxValue)
                {
                    var untilNext = Milliseconds(next - Now);
                    timeout = timeout < 0 ? untilNext : Math.Min(timeout, untilNext);
                }
            }
            if (stopBy is { } until)
            {
                var left = (int)Math.Ceiling((until - DateTime.UtcNow).TotalMilliseconds);
                timeout = timeout < 0 ? Math.Max(left, 0) : Math.Min(timeout, Math.Max(left, 0));
            }
            _pool.WaitForControl(timeout);
            foreach (var worker in _pool.Workers)
            {
                var queue = worker.Control;
                while (queue.TryPeek(out var source, out var datagram))
                {
                    if ((datagram[0] & 0x80) != 0)
                    {
                        _controller.ReceiveControl(source.ToEndPoint(), datagram, Now);
                    }
                    else
                    {
                        _controller.ReceiveData(source.ToEndPoint(), datagram, Now);
                    }
                    queue.Advance();
                    // Table edits before anything else is sent: a sequenced session's first frames share the data plane's Ns.
                    ApplyEvents();
                }
            }
            DrainMailbox();
            _controller.Tick(Now);
            Flush();
            if (Now >= nextFold)
            {
                _fastPath!.Fold(Table.Current);
                nextFold = Now + FastPathFoldInterval;
            }
            if (Now >= nextStats)
            {
                _log.Info(DataPlaneSummary.Line(_pool));
                if (FastPathSummaryLine() is { } fastPathLine)
                {
                    _log.Info(fastPathLine);
                }
                nextStats = Now + _statsInterval;
            }
        }
    }

    private static int Milliseconds(TimeSpan span) => (int)Math.Clamp(Math.Ceiling(span.TotalMilliseconds), 0, int.MaxValue);

    private void Flush()
    {
        ApplyEvents();
        SyncPools();
        Table.Publish();
        foreach (var datagram in _controller.Outbox)
        {
            _sender.Enqueue(datagram.Payload, UdpPeer.FromEndPoint(datagram.Destination));
        }
        _controller.Outbox.Clear();
        _sender.Flush();
        foreach (var line in _pendingLog)
        {
            _log.Info(line);
        }
        _pendingLog.Clear();
    }

    /// <summary>
    /// Keeps the forwarding table in step with the controller's events (consumed here, logged by
    /// <see cref="Flush"/> in order): established → PPP frames pass (Ns handed over from the
    /// controller); ready → IPv4 flows and the address routes; closed or ended → gone.
    /// </summary>
    private void ApplyEvents()
    {
        while (_controller.L2tpEvents.TryDequeue(out var e))
        {
            _pendingLog.Add(Describe(e));
            switch (e)
            {
                case SessionEstablished up:
                    var key = new SessionKey(up.TunnelId, up.SessionId);
                    Table.Establish(key, UdpPeer.FromEndPoint(up.Peer), up.PeerTunnelId, up.PeerSessionId, up.DataSequencing,
                        _controller.NextDataNs(key) ?? 0);
                    break;
                case SessionClosed closed:
                    EndSession(new SessionKey(closed.TunnelId, closed.SessionId));
                    break;
            }
        }
        while (_controller.Events.TryDequeue(out var e))
        {
            switch (e)
            {
                case SessionReady ready when Table.TryGet(ready.Key, out var entry) && entry is not null:
                    Table.Ready(ready.Key, entry.Peer, entry.PeerTunnelId, entry.PeerSessionId, entry.DataSequencing,
                        Ipv4Address.FromIPAddress(ready.PeerAddress));
                    break;
                case SessionEnded ended:
                    EndSession(ended.Key);
                    break;
            }
            if (Describe(e) is { } line)
            {
                _pendingLog.Add(line);
            }
        }
    }

    private void EndSession(SessionKey key)
    {
        if (Table.TryGet(key, out var entry) && entry is not null)
        {
            _fastPath?.Fold(Table.Current); // the kernel's share of the session's counters, before they are logged
            _pendingLog.Add(DataPlaneSummary.Session(entry));
            Table.End(key);
        }
    }

    private static string? Describe(SessionEvent e) => e switch
    {
        SessionReady r => $"ppp: session {r.Key.TunnelId}/{r.Key.SessionId} ready: user \"{r.User}\" address {r.PeerAddress} (relayd {r.LocalAddress}, mru {r.Mru})",
        SessionEnded x => $"ppp: session {x.Key.TunnelId}/{x.Key.SessionId} ended{(x.Address is null ? "" : $", address {x.Address} released")}: {x.Reason}",
        SessionNotice n when n.Key.SessionId != 0 => $"ppp: session {n.Key.TunnelId}/{n.Key.SessionId}: {n.Message}",
        _ => null,
    };

    private static string Describe(L2tpEvent e) => e switch
    {
        TunnelEstablished t => $"l2tp: tunnel {t.TunnelId} up with {t.Peer} (host \"{t.PeerHostName}\", peer tunnel {t.PeerTunnelId})",
        TunnelClosed t => $"l2tp: tunnel {t.TunnelId} closed ({t.Reason}{Result(t.ResultCode, t.ErrorCode, t.Message)})",
        SessionEstablished s => $"l2tp: session {s.TunnelId}/{s.SessionId} established (peer {s.PeerTunnelId}/{s.PeerSessionId}{(s.DataSequencing ? ", sequenced" : "")})",
        SessionClosed s => $"l2tp: session {s.TunnelId}/{s.SessionId} closed by {(s.ByPeer ? "peer" : "relayd")}{Result(s.ResultCode, s.ErrorCode, s.Message)}",
        _ => $"l2tp: {e}",
    };

    private static string Result(ushort? result, ushort? error, string? message)
        => result is null ? "" : $", result {result}{(error is null ? "" : $" error {error}")}{(message is null ? "" : $" \"{message}\"")}";
}
