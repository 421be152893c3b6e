using System.Diagnostics;
using System.Net;
using Relay.Control.L2tp;
using Relay.DataPlane.Sockets;
using Relay.Server.Hosting;

namespace Relay.Server.L2tp;

/// <summary>
/// The LNS on <c>listen.l2tp</c>: one batched UDP socket (recvmmsg/sendmmsg) and one control-loop
/// thread that owns the <see cref="L2tpEngine"/>. Until the data plane exists this thread reads
/// the socket itself; data messages (T bit clear) are counted and dropped. On stop, every tunnel
/// gets a StopCCN (result 6, shutting down) and the loop waits a bounded time for the
/// acknowledgements.
/// </summary>
internal sealed class L2tpService : IDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(3);

    private readonly UdpBatchSocket _socket;
    private readonly L2tpEngine _engine;
    private readonly Log _log;
    private readonly Thread _thread;
    private readonly long _start = Stopwatch.GetTimestamp();
    private volatile bool _stopRequested;
    private long _dataMessagesDropped;

    private L2tpService(UdpBatchSocket socket, L2tpEngine engine, Log log)
    {
        _socket = socket;
        _engine = engine;
        _log = log;
        _thread = new Thread(ControlLoop) { IsBackground = true, Name = "l2tp-control" };
    }

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>Binds <paramref name="endpoint"/> and starts the control loop. Throws SocketException when binding fails.</summary>
    public static L2tpService Start(IPEndPoint endpoint, L2tpOptions options, Log log)
    {
        var socket = UdpBatchSocket.Bind(endpoint, batchSize: 64, slotLength: 4096);
        var service = new L2tpService(socket, new L2tpEngine(options), log);
        service._thread.Start();
        return service;
    }

    /// <summary>Closes every tunnel gracefully and stops the loop (bounded by a few seconds).</summary>
    public void Dispose()
    {
        _stopRequested = true;
        _socket.Wake();
        _thread.Join(ShutdownGrace + TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }

    public string Summary()
    {
        var c = _engine.Counters;
        return $"tunnels-established={c.TunnelsEstablished} sessions-established={c.SessionsEstablished} " +
               $"tunnels-refused={c.TunnelsRefused} sessions-refused={c.SessionsRefused} auth-failures={c.AuthenticationFailures} " +
               $"malformed={c.MalformedTotal} unknown-tunnel={c.UnknownTunnel} wrong-peer={c.WrongPeer} rate-limited={c.RateLimited} " +
               $"duplicates={c.Duplicates} out-of-window={c.OutOfWindow} fsm-errors={c.FsmErrors} " +
               $"data-dropped-no-dataplane={Interlocked.Read(ref _dataMessagesDropped)} " +
               $"truncated={_socket.TruncatedDropped} send-errors={_socket.SendErrors}";
    }

    private TimeSpan Now => Stopwatch.GetElapsedTime(_start);

    private void ControlLoop()
    {
        DateTime? stopBy = null;
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
            if (_engine.NextDeadline() is { } deadline)
            {
                timeout = (int)Math.Clamp(Math.Ceiling((deadline - Now).TotalMilliseconds), 0, int.MaxValue);
            }
            if (stopBy is { } until)
            {
                var left = (int)Math.Ceiling((until - DateTime.UtcNow).TotalMilliseconds);
                timeout = timeout < 0 ? Math.Max(left, 0) : Math.Min(timeout, Math.Max(left, 0));
            }
            var count = _socket.Receive(timeout);
            for (var i = 0; i < count; i++)
            {
                var datagram = _socket.Datagram(i);
                if ((datagram[0] & 0x80) == 0)
                {
                    _dataMessagesDropped++;
                    continue;
                }
                _engine.Receive(_socket.Source(i).ToEndPoint(), datagram, Now);
            }
            _engine.Tick(Now);
            Flush();
        }
    }

    private void Flush()
    {
        foreach (var datagram in _engine.Outbox)
        {
            _socket.Enqueue(datagram.Payload, UdpPeer.FromEndPoint(datagram.Destination));
        }
        _engine.Outbox.Clear();
        _socket.Flush();
        while (_engine.Events.TryDequeue(out var e))
        {
            _log.Info(Describe(e));
        }
    }

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
