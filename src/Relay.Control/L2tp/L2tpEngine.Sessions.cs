using Relay.Wire.L2tp;

namespace Relay.Control.L2tp;

public sealed partial class L2tpEngine
{
    /// <summary>
    /// LAC: places an incoming call on an established tunnel (sends ICRQ). Returns our session
    /// id, or null when the tunnel is not established or a session limit is reached.
    /// </summary>
    public ushort? OpenSession(ushort tunnelId, TimeSpan now)
    {
        if (!_tunnels.TryGetValue(tunnelId, out var tunnel) || tunnel.State != TunnelState.Established || !HasSessionRoom(tunnel))
        {
            return null;
        }
        var session = new Session(AllocateSessionId(tunnel, NextRandomUInt16), SessionState.WaitReply, now)
        {
            CallSerialNumber = ++_callSerial,
        };
        AddSession(tunnel, session);
        tunnel.Channel.Enqueue(_encoder.Icrq(tunnel.PeerId, session.LocalId, session.CallSerialNumber, tunnel.Secret));
        Flush(tunnel, now);
        return session.LocalId;
    }

    /// <summary>Tears a session down (sends CDN with the given result, §5.7 / §6.13).</summary>
    public bool CloseSession(ushort tunnelId, ushort sessionId, ushort resultCode, ushort? errorCode, string? message, TimeSpan now)
    {
        if (!_tunnels.TryGetValue(tunnelId, out var tunnel) || !tunnel.SessionTable.TryGetValue(sessionId, out var session))
        {
            return false;
        }
        SendCdn(tunnel, session.PeerId, session.LocalId, resultCode, errorCode, message);
        RemoveSession(tunnel, session, byPeer: false, resultCode, errorCode, message);
        Flush(tunnel, now);
        return true;
    }

    private bool HasSessionRoom(Tunnel tunnel)
        => tunnel.SessionTable.Count < _options.MaxSessionsPerTunnel && _sessionCount < _options.MaxSessions;

    private void HandleSessionMessage(Tunnel tunnel, ControlMessage message, TimeSpan now)
    {
        switch (message.Type)
        {
            case L2tpMessageType.Icrq:
                ReceiveIcrq(tunnel, message);
                return;
            case L2tpMessageType.Ocrq:
                // Relay never dials out: outgoing calls are refused (§6.7), as a CDN with a
                // permanent lack of facilities.
                Counters.OutgoingCallsRefused++;
                if (message.AssignedSessionId is { } ocrqPeer)
                {
                    SendCdn(tunnel, ocrqPeer, 0, ResultCodes.CdnNoFacilitiesPermanently, null, "outgoing calls are not supported");
                }
                return;
            case L2tpMessageType.Cdn:
                ReceiveCdn(tunnel, message);
                return;
        }
        if (!tunnel.SessionTable.TryGetValue(message.SessionId, out var session))
        {
            Counters.UnknownSession++;
            return;
        }
        switch (message.Type)
        {
            case L2tpMessageType.Icrp when session.State == SessionState.WaitReply && _options.Role == L2tpRole.Lac:
                if (message.AssignedSessionId is not { } peerSession || peerSession == 0)
                {
                    FailSessionMessage(tunnel, message, ResultCodes.ErrorFieldOutOfRange, "ICRP without Assigned Session ID", now);
                    return;
                }
                session.PeerId = peerSession;
                tunnel.Channel.Enqueue(_encoder.Iccn(tunnel.PeerId, peerSession, _options.RequireSequencing, tunnel.Secret));
                EstablishSession(tunnel, session);
                return;
            case L2tpMessageType.Iccn when session.State == SessionState.WaitConnect:
                // Interop: Tx Connect Speed and Framing Type are required by §6.10 but some LACs
                // leave them out; nothing here depends on them.
                session.DataSequencing = message.SequencingRequired;
                EstablishSession(tunnel, session);
                return;
            case L2tpMessageType.Wen or L2tpMessageType.Sli:
                // Link and error information from a LAC's physical side: meaningless for a
                // virtual call, accepted and ignored (ACCM included, §6.15).
                return;
            default:
                Counters.FsmErrors++;
                SendCdn(tunnel, session.PeerId, session.LocalId, ResultCodes.CdnGeneralError, null, $"{message.Type} in state {session.State}");
                RemoveSession(tunnel, session, byPeer: false, ResultCodes.CdnGeneralError, null, "session state machine error");
                return;
        }
    }

    private void ReceiveIcrq(Tunnel tunnel, ControlMessage icrq)
    {
        if (icrq.AssignedSessionId is not { } peerSession || peerSession == 0)
        {
            Counters.BadAvpValues++;
            return;
        }
        if (_options.Role != L2tpRole.Lns)
        {
            Counters.SessionsRefused++;
            SendCdn(tunnel, peerSession, 0, ResultCodes.CdnNoFacilitiesPermanently, null, "this peer does not accept incoming calls");
            return;
        }
        foreach (var existing in tunnel.SessionTable.Values)
        {
            if (existing.PeerId == peerSession)
            {
                // The peer reuses a session id it already holds with us: a confused peer.
                Counters.SessionsRefused++;
                SendCdn(tunnel, peerSession, 0, ResultCodes.CdnGeneralError, ResultCodes.ErrorInvalidSessionId, "Assigned Session ID already in use");
                return;
            }
        }
        if (!HasSessionRoom(tunnel))
        {
            Counters.SessionsRefused++;
            SendCdn(tunnel, peerSession, 0, ResultCodes.CdnNoFacilitiesTemporarily, ResultCodes.ErrorInsufficientResources, "session limit reached");
            return;
        }
        var session = new Session(AllocateSessionId(tunnel, NextRandomUInt16), SessionState.WaitConnect, tunnel.LastHeard)
        {
            PeerId = peerSession,
            CallSerialNumber = icrq.CallSerialNumber ?? 0,
        };
        AddSession(tunnel, session);
        tunnel.Channel.Enqueue(_encoder.Icrp(tunnel.PeerId, peerSession, session.LocalId, tunnel.Secret));
    }

    private void ReceiveCdn(Tunnel tunnel, ControlMessage cdn)
    {
        var session = tunnel.SessionTable.GetValueOrDefault(cdn.SessionId);
        if (session is null && cdn.AssignedSessionId is { } peerSession)
        {
            // A CDN for a session still waiting for our ICRP's answer carries session id 0.
            foreach (var s in tunnel.SessionTable.Values)
            {
                if (s.PeerId == peerSession)
                {
                    session = s;
                    break;
                }
            }
        }
        if (session is null)
        {
            Counters.UnknownSession++;
            return;
        }
        var result = NormaliseResultCode(cdn.ResultCode, ResultCodes.MaxCdnResult);
        RemoveSession(tunnel, session, byPeer: true, result, cdn.ErrorCode, cdn.ErrorMessage);
    }

    /// <summary>§4.1: a malformed or unknown mandatory AVP in a session message ends that session.</summary>
    private void FailSessionMessage(Tunnel tunnel, ControlMessage message, ushort error, string text, TimeSpan now)
    {
        if (tunnel.SessionTable.TryGetValue(message.SessionId, out var session))
        {
            SendCdn(tunnel, session.PeerId, session.LocalId, ResultCodes.CdnGeneralError, error, text);
            RemoveSession(tunnel, session, byPeer: false, ResultCodes.CdnGeneralError, error, text);
        }
        else if (message.AssignedSessionId is { } peerSession)
        {
            SendCdn(tunnel, peerSession, 0, ResultCodes.CdnGeneralError, error, text);
        }
        Flush(tunnel, now);
    }

    private void ExpireSessionHandshakes(Tunnel tunnel, TimeSpan now)
    {
        List<Session>? expired = null;
        foreach (var session in tunnel.SessionTable.Values)
        {
            if (session.State != SessionState.Established && now - session.CreatedAt >= _options.Reliability.GiveUpAfter)
            {
                (expired ??= []).Add(session);
            }
        }
        foreach (var session in expired ?? [])
        {
            SendCdn(tunnel, session.PeerId, session.LocalId, ResultCodes.CdnTimeout, null, "call setup timed out");
            RemoveSession(tunnel, session, byPeer: false, ResultCodes.CdnTimeout, null, "call setup timed out");
        }
    }

    private void SendCdn(Tunnel tunnel, ushort peerSessionId, ushort localSessionId, ushort result, ushort? error, string? message)
        => tunnel.Channel.Enqueue(_encoder.Cdn(tunnel.PeerId, peerSessionId, localSessionId, result, error, message, tunnel.Secret));

    private void AddSession(Tunnel tunnel, Session session)
    {
        tunnel.SessionTable.Add(session.LocalId, session);
        _sessionCount++;
    }

    private void EstablishSession(Tunnel tunnel, Session session)
    {
        session.State = SessionState.Established;
        Counters.SessionsEstablished++;
        Events.Enqueue(new SessionEstablished(tunnel.LocalId, session.LocalId, tunnel.PeerId, session.PeerId, tunnel.Peer, session.DataSequencing));
    }

    private void RemoveSession(Tunnel tunnel, Session session, bool byPeer, ushort? result, ushort? error, string? message)
    {
        if (tunnel.SessionTable.Remove(session.LocalId))
        {
            _sessionCount--;
            Events.Enqueue(new SessionClosed(tunnel.LocalId, session.LocalId, byPeer, result, error, message));
        }
    }

    /// <summary>Interop: some peers send the 16-bit result code byte-swapped (1 arrives as 256).</summary>
    private static ushort? NormaliseResultCode(ushort? code, ushort max)
    {
        if (code is { } c && c > max)
        {
            var swapped = (ushort)((c << 8) | (c >> 8));
            if (swapped is > 0 && swapped <= max)
            {
                return swapped;
            }
        }
        return code;
    }
}
