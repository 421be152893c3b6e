using System.Diagnostics;
using System.Net;
using Relay.Control.L2tp;
using Relay.Control.Sessions;
using Relay.DataPlane.Sockets;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;
using Relay.Server.Hosting;

namespace Relay.Server.Lns;

/// <summary>
/// The LNS on <c>listen.l2tp</c>: one batched UDP socket (recvmmsg/sendmmsg) and one control-loop
/// thread that owns the <see cref="LnsController"/> (L2TP, PPP, leases). Until the data plane
/// exists this thread reads the socket itself: control messages and PPP control frames go to the
/// controller, PPP data frames (IPv4) are counted and dropped. On stop, every tunnel gets a StopCCN
/// (result 6, shutting down) and the loop waits a bounded time for the acknowledgements.
/// </summary>
internal sealed partial class LnsService : IDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(3);

    private readonly UdpBatchSocket _socket;
    private readonly LnsController _controller;
    private readonly L2tpEngine _engine;
    private readonly Log _log;
    private readonly Thread _thread;
    private readonly long _start = Stopwatch.GetTimestamp();
    private volatile bool _stopRequested;
    private long _dataMessagesDropped;

    private LnsService(UdpBatchSocket socket, LnsController controller, Log log)
    {
        _socket = socket;
        _controller = controller;
        _engine = controller.L2tp;
        _log = log;
        _thread = new Thread(ControlLoop) { IsBackground = true, Name = "l2tp-control" };
    }

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;


    /// <summary>Binds <paramref name="endpoint"/> and starts the control loop. Throws SocketException when binding fails.</summary>
    public static LnsService Start(IPEndPoint endpoint, LnsOptions options, Log log)
    {
        var controller = new LnsController(options);
        var socket = UdpBatchSocket.Bind(endpoint, batchSize: 64, slotLength: 4096);
        var service = new LnsService(socket, controller, log);
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
               $"sessions-ready={_controller.Counters.Ready} ppp-auth-failures={_controller.Counters.AuthenticationFailures} " +
               $"address-refused={_controller.Counters.AddressRefused} echo-timeouts={_controller.Counters.EchoTimeouts} " +
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
            if (_controller.NextDeadline() is { } deadline)
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
                if ((datagram[0] & 0x80) != 0)
                {
                    _controller.ReceiveControl(_socket.Source(i).ToEndPoint(), datagram, Now);
                }
                else if (IsNetworkData(datagram))
                {
                    _dataMessagesDropped++;
                }
                else
                {
                    _controller.ReceiveData(_socket.Source(i).ToEndPoint(), datagram, Now);
                }
            }
            DrainMailbox();
            _controller.Tick(Now);
            Flush();
        }
    }

    /// <summary>A data message carrying a network-layer PPP frame (IPv4 and the like): the data plane's, not ours.</summary>
    private static bool IsNetworkData(ReadOnlySpan<byte> datagram)
        => L2tpHeader.TryParse(datagram, out var header) == L2tpParseStatus.Ok
           && PppFrame.Parse(datagram.Slice(header.PayloadStart, header.PayloadLength), out var frame) == PppFrameStatus.Ok
           && PppProtocol.IsNetworkLayer(frame.Protocol);

    private void Flush()
    {
        foreach (var datagram in _controller.Outbox)
        {
            _socket.Enqueue(datagram.Payload, UdpPeer.FromEndPoint(datagram.Destination));
        }
        _controller.Outbox.Clear();
        _socket.Flush();
        while (_controller.L2tpEvents.TryDequeue(out var e))
        {
            _log.Info(Describe(e));
        }
        while (_controller.Events.TryDequeue(out var e))
        {
            if (Describe(e) is { } line)
            {
                _log.Info(line);
            }
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
