namespace Relay.Control.L2tp;

public sealed partial class L2tpEngine
{
    /// <summary>Closes a tunnel and all its sessions (sends StopCCN, §5.7).</summary>
    public bool CloseTunnel(ushort tunnelId, ushort resultCode, ushort? errorCode, string? message, TimeSpan now)
    {
        if (!_tunnels.TryGetValue(tunnelId, out var tunnel) || tunnel.State == TunnelState.Closing)
        {
            return false;
        }
        Close(tunnel, TunnelCloseReason.Local, resultCode, errorCode, message, now);
        return true;
    }

    /// <summary>
    /// Every remaining tunnel is closing and its StopCCN has been acknowledged: a shutting-down
    /// process may exit without leaving a peer to time out.
    /// </summary>
    public bool AllStopsAcknowledged
    {
        get
        {
            foreach (var tunnel in _tunnels.Values)
            {
                if (tunnel.State != TunnelState.Closing || !tunnel.Channel.IsIdle)
                {
                    return false;
                }
            }
            return true;
        }
    }

    private void ReceiveStopCcn(Tunnel tunnel, ControlMessage stop, TimeSpan now)
    {
        var result = NormaliseResultCode(stop.ResultCode, ResultCodes.MaxStopResult);
        Close(tunnel, TunnelCloseReason.Peer, result, stop.ErrorCode, stop.ErrorMessage, now, sendStop: false);
    }

    /// <summary>
    /// Ends a tunnel: its sessions are cleared at once; with <paramref name="sendStop"/> a StopCCN
    /// goes out. A tunnel closed by StopCCN (either way) lingers for the full retransmission
    /// interval so the exchange can finish (§5.8); one that failed or lost a tie-breaker goes now.
    /// </summary>
    private void Close(Tunnel tunnel, TunnelCloseReason reason, ushort? result, ushort? error, string? message, TimeSpan now, bool sendStop = true)
    {
        if (tunnel.State == TunnelState.Closing || tunnel.Removed)
        {
            return;
        }
        foreach (var session in tunnel.SessionTable.Values.ToArray())
        {
            RemoveSession(tunnel, session, reason == TunnelCloseReason.Peer, result, error, message);
        }
        Events.Enqueue(new TunnelClosed(tunnel.LocalId, reason, result, error, message));
        var lingers = reason is TunnelCloseReason.Local or TunnelCloseReason.Peer && tunnel.PeerId != 0;
        if (!lingers)
        {
            Remove(tunnel);
            return;
        }
        tunnel.State = TunnelState.Closing;
        tunnel.LingerUntil = now + _options.Reliability.GiveUpAfter;
        if (sendStop)
        {
            tunnel.Channel.Enqueue(_encoder.StopCcn(tunnel.PeerId, tunnel.LocalId, result ?? ResultCodes.StopGeneralRequest, error, message, tunnel.Secret));
        }
        Flush(tunnel, now);
    }

    private void Remove(Tunnel tunnel)
    {
        if (tunnel.Removed)
        {
            return;
        }
        tunnel.Removed = true;
        _retransmissionsOfRemoved += tunnel.Channel.Retransmissions;
        _tunnels.Remove(tunnel.LocalId);
        if (tunnel.PeerId != 0 && _byPeerTunnel.TryGetValue((tunnel.Peer, tunnel.PeerId), out var indexed) && indexed == tunnel)
        {
            _byPeerTunnel.Remove((tunnel.Peer, tunnel.PeerId));
        }
        _sessionCount -= tunnel.SessionTable.Count;
        tunnel.SessionTable.Clear();
    }
}
