using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Relay.Control.L2tp;
using Relay.Server.Hosting;

namespace Relay.Server.L2tp;

/// <summary>
/// The LNS on <c>listen.l2tp</c>: one UDP socket and one control-loop thread that owns the
/// <see cref="L2tpEngine"/>. Until the data plane exists this thread reads the socket itself;
/// data messages (T bit clear) are counted and dropped. On stop, every tunnel gets a StopCCN
/// (result 6, shutting down) and the loop waits a bounded time for the acknowledgements.
/// </summary>
internal sealed class L2tpService : IDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan MaxPollWait = TimeSpan.FromMilliseconds(250);

    private readonly Socket _socket;
    private readonly L2tpEngine _engine;
    private readonly Log _log;
    private readonly Thread _thread;
    private readonly long _start = Stopwatch.GetTimestamp();
    private volatile bool _stopRequested;
    private long _dataMessagesDropped;
    private long _sendFailures;

    private L2tpService(Socket socket, L2tpEngine engine, Log log)
    {
        _socket = socket;
        _engine = engine;
        _log = log;
        _thread = new Thread(ControlLoop) { IsBackground = true, Name = "l2tp-control" };
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static L2tpService Start(IPEndPoint endpoint, L2tpOptions options, Log log)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.ReceiveBufferSize = 4 << 20;
            socket.SendBufferSize = 4 << 20;
            socket.Bind(endpoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var service = new L2tpService(socket, new L2tpEngine(options), log);
        service._thread.Start();
        return service;
    }

    /// <summary>Closes every tunnel gracefully and stops the loop (bounded by a few seconds).</summary>
    public void Dispose()
    {
        _stopRequested = true;
        _thread.Join(ShutdownGrace + TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }

    public string Summary()
    {
        var c = _engine.Counters;
        return $"tunnels-established={c.TunnelsEstablished} sessions-established={c.SessionsEstablished} " +
               $"tunnels-refused={c.TunnelsRefused} sessions-refused={c.SessionsRefused} auth-failures={c.AuthenticationFailures} " +
               $"malformed={c.MalformedTotal} unknown-tunnel={c.UnknownTunnel} wrong-peer={c.WrongPeer} rate-limited={c.RateLimited} " +
               $"fsm-errors={c.FsmErrors} data-dropped-no-dataplane={Interlocked.Read(ref _dataMessagesDropped)} send-failures={_sendFailures}";
    }

    private TimeSpan Now => Stopwatch.GetElapsedTime(_start);

    private void ControlLoop()
    {
        var buffer = GC.AllocateArray<byte>(65536, pinned: true);
        var peer = new SocketAddress(_socket.AddressFamily);
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
            var wait = MaxPollWait;
            if (_engine.NextDeadline() is { } deadline)
            {
                var until = deadline - Now;
                wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < wait ? until : wait;
            }
            bool readable;
            try
            {
                readable = _socket.Poll(wait, SelectMode.SelectRead);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (readable)
            {
                ReceiveAvailable(buffer, peer);
            }
            _engine.Tick(Now);
            Flush();
        }
    }

    private void ReceiveAvailable(byte[] buffer, SocketAddress peer)
    {
        // Drain what is queued without blocking, so a burst of SCCRQs is one loop turn.
        while (_socket.Available > 0)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, peer);
            }
            catch (SocketException)
            {
                return;
            }
            if (received >= 1 && (buffer[0] & 0x80) == 0)
            {
                Interlocked.Increment(ref _dataMessagesDropped);
                continue;
            }
            var from = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(peer);
            _engine.Receive(Normalise(from), buffer.AsSpan(0, received), Now);
            Flush();
        }
    }

    /// <summary>On a dual-mode socket IPv4 peers arrive as ::ffff:a.b.c.d; keep them as plain IPv4.</summary>
    private static IPEndPoint Normalise(IPEndPoint endpoint)
        => endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;

    private void Flush()
    {
        foreach (var datagram in _engine.Outbox)
        {
            try
            {
                var destination = _socket.DualMode && datagram.Destination.AddressFamily == AddressFamily.InterNetwork
                    ? new IPEndPoint(datagram.Destination.Address.MapToIPv6(), datagram.Destination.Port)
                    : datagram.Destination;
                _socket.SendTo(datagram.Payload, destination);
            }
            catch (SocketException)
            {
                // The peer retransmits, or our retransmission timer does: counted, not fatal.
                _sendFailures++;
            }
        }
        _engine.Outbox.Clear();
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
