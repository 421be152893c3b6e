using System.Net.Sockets;
using Relay.Client.Hosting;
using Relay.Control.L2tp;
using Relay.Control.Sessions;
using Relay.DataPlane.Sockets;

namespace Relay.Client.Tunnel;

internal sealed partial class ClientRunner
{
    private LacController? _controller;
    private ushort _dialledTunnel;
    private string? _lost;
    private bool _stopping;
    private TimeSpan _stopDeadline;

    /// <summary>One connection: dial, carry traffic while the session lives, and leave cleanly.</summary>
    private unsafe void RunAttempt()
    {
        _controller = new LacController(_settings.LacOptions());
        _lost = null;
        _stopping = false;
        _log.Info($"l2tp: dialling {_settings.Relay}");
        _dialledTunnel = _controller.Dial(Now);
        Flush();
        var fds = stackalloc Native.PollFd[3];
        try
        {
            while (true)
            {
                HandleEvents();
                if (!_stopping && (_lost is not null || _signal.IsSet))
                {
                    BeginStop();
                }
                if (_stopping && (_controller.L2tp.AllStopsAcknowledged || Now >= _stopDeadline))
                {
                    return;
                }
                fds[0] = new Native.PollFd { Fd = (int)_socket!.Handle, Events = Native.POLLIN };
                fds[1] = new Native.PollFd { Fd = _signal.Fd, Events = Native.POLLIN };
                var count = 2;
                if (_tun is not null)
                {
                    fds[2] = new Native.PollFd { Fd = _tun.Queue(0).Fd, Events = Native.POLLIN };
                    count = 3;
                }
                _ = Native.poll(fds, (nuint)count, PollTimeout());
                if (fds[0].Revents != 0)
                {
                    FromRelay();
                }
                if (count == 3 && fds[2].Revents != 0)
                {
                    FromTun();
                }
                _controller.Tick(Now);
                Flush();
            }
        }
        finally
        {
            TearDownInterface(_lost ?? (_signal.IsSet ? $"{_signal.Received}" : "stopped"));
            _controller = null;
        }
    }

    /// <summary>SIGTERM: CDN for the session (RFC 2661 §5.7: result 3, administrative), then StopCCN; a lost link: StopCCN only.</summary>
    private void BeginStop()
    {
        _stopping = true;
        var now = Now;
        if (_lost is null)
        {
            _log.Info($"received {_signal.Received}: CDN and StopCCN to relayd");
            if (_ready is not null)
            {
                _controller!.L2tp.CloseSession(_ready.Key.TunnelId, _ready.Key.SessionId, ResultCodes.CdnAdministrative, null, "relay-client stopping", now);
            }
            _controller!.HangUp(_dialledTunnel, "relay-client stopping", now);
            _stopDeadline = now + StopWait;
        }
        else
        {
            _log.Warn($"connection lost: {_lost}");
            _controller!.HangUp(_dialledTunnel, _lost, now);
            _stopDeadline = now + LostStopWait;
        }
        Flush();
        // Routes and TUN go at once: packets for the peers must not wait in a dead interface.
        TearDownInterface(_lost ?? $"{_signal.Received}");
    }

    private int PollTimeout()
    {
        var now = Now;
        var until = _controller!.NextDeadline();
        if (_stopping && (until is null || _stopDeadline < until))
        {
            until = _stopDeadline;
        }
        if (until is null)
        {
            return MaxPollMs;
        }
        var ms = Math.Ceiling((until.Value - now).TotalMilliseconds);
        return ms <= 0 ? 0 : ms >= MaxPollMs ? MaxPollMs : (int)ms;
    }

    private void HandleEvents()
    {
        var controller = _controller!;
        while (controller.L2tpEvents.TryDequeue(out var e))
        {
            if (e is TunnelClosed closed && closed.TunnelId == _dialledTunnel)
            {
                _lost ??= Describe(closed);
            }
        }
        while (controller.Events.TryDequeue(out var e))
        {
            switch (e)
            {
                case SessionReady ready when !_stopping:
                    BringUp(ready);
                    break;
                case SessionEnded ended:
                    _lost ??= $"session ended: {ended.Reason}";
                    break;
                case SessionNotice notice:
                    _log.Info($"l2tp: {notice.Message}");
                    break;
            }
        }
    }

    /// <summary>Sends what the controller queued; the socket is connected to relayd, the only destination.</summary>
    private void Flush()
    {
        var controller = _controller!;
        foreach (var datagram in controller.Outbox)
        {
            _socket!.Send(datagram.Payload, SocketFlags.None, out _);
        }
        controller.Outbox.Clear();
    }

    /// <summary>Datagrams from relayd: IPv4 of our session straight to TUN, the rest to the controller. Hot path.</summary>
    private void FromRelay()
    {
        var socket = _socket!;
        for (var i = 0; i < Burst; i++)
        {
            var length = socket.Receive(_receive, SocketFlags.None, out var error);
            if (error != SocketError.Success)
            {
                // WouldBlock: drained. ConnectionRefused: an ICMP error for an earlier send (relayd down); the timers deal with it.
                if (error == SocketError.WouldBlock)
                {
                    return;
                }
                continue;
            }
            var datagram = _receive.AsSpan(0, length);
            var verdict = DataFraming.Classify(datagram, _tunnelId, _sessionId, out var ipStart, out var ipLength);
            switch (verdict)
            {
                case DataVerdict.Ip:
                    if (_tun!.Queue(0).Write(datagram.Slice(ipStart, ipLength)) > 0)
                    {
                        Counters.ToTun(ipLength);
                    }
                    else
                    {
                        Counters.Count(DataVerdict.DroppedIoError);
                    }
                    break;
                case DataVerdict.L2tpControl:
                    _controller!.ReceiveControl(_settings.Relay, datagram, Now);
                    Flush();
                    break;
                case DataVerdict.PppControl:
                    _controller!.ReceiveData(_settings.Relay, datagram, Now);
                    Flush();
                    break;
                default:
                    Counters.Count(verdict);
                    break;
            }
        }
    }

    /// <summary>Packets from TUN: L2TP + PPP headers written in place in front, sent to relayd. Hot path.</summary>
    private void FromTun()
    {
        var queue = _tun!.Queue(0);
        var socket = _socket!;
        for (var i = 0; i < Burst; i++)
        {
            var length = queue.Read(_send.AsSpan(DataFraming.Headroom));
            if (length <= 0)
            {
                return;
            }
            if (_ready is null)
            {
                Counters.Count(DataVerdict.DroppedNoSession);
                continue;
            }
            if ((_send[DataFraming.Headroom] >> 4) != 4)
            {
                Counters.Count(DataVerdict.DroppedTunNotIpv4);
                continue;
            }
            ushort? ns = _sequenced ? _nextNs++ : null;
            var start = DataFraming.Encapsulate(_send, _peerTunnelId, _peerSessionId, ns);
            socket.Send(_send.AsSpan(start, DataFraming.Headroom + length - start), SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                Counters.FromTun(length);
            }
            else
            {
                Counters.Count(DataVerdict.DroppedIoError);
            }
        }
    }
}
