using Relay.Control.Ppp.Authentication;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp;

/// <summary>The layer actions (RFC 1661 §4.4) of LCP and IPCP, and the phase changes they drive (§3).</summary>
public sealed partial class PppSession
{
    void IPppFsmHost.SendControl(ushort protocol, ReadOnlySpan<byte> packet) => SendFrame(protocol, packet);

    void IPppFsmHost.ThisLayerUp(PppFsm fsm, TimeSpan now)
    {
        if (fsm == _lcp)
        {
            LcpUp(now);
        }
        else
        {
            Events.Enqueue(new NetworkReady(
                _ipcpOptions.LocalAddress ?? System.Net.IPAddress.Any,
                _ipcpOptions.PeerAddress ?? System.Net.IPAddress.Any,
                Math.Min(_lcpOptions.LocalMru, _lcpOptions.PeerMru),
                _ipcpOptions.Dns));
        }
    }

    void IPppFsmHost.ThisLayerDown(PppFsm fsm, TimeSpan now)
    {
        if (fsm != _lcp)
        {
            return;
        }
        _echoDeadline = null;
        _auth?.Stop();
        _auth = null;
        _ipcp.Down(now);
        if (Phase is PppPhase.Authenticate or PppPhase.Network)
        {
            Phase = PppPhase.Establish;
        }
    }

    void IPppFsmHost.ThisLayerStarted(PppFsm fsm, TimeSpan now)
    {
        // The L2TP session is the lower layer and exists before PPP starts; nothing to ask for.
    }

    void IPppFsmHost.ThisLayerFinished(PppFsm fsm, TimeSpan now)
    {
        if (fsm == _lcp)
        {
            _terminateReason ??= "LCP negotiation did not converge or got no answer";
            Finish();
        }
        else if (_lcp.State == PppFsmState.Opened)
        {
            // §3.4/§3.7: without a network-layer protocol the link has nothing to carry.
            RequestClose("IPCP did not come up");
        }
    }

    void IPppFsmHost.ReceiveExtended(PppFsm fsm, PppControlPacket packet, TimeSpan now)
    {
        switch (packet.Code)
        {
            case PppCode.ProtocolReject when fsm == _lcp:
                ReceiveProtocolReject(packet, now);
                break;
            case PppCode.EchoRequest when fsm == _lcp && _lcp.State == PppFsmState.Opened:
                // RXR in Opened: ser (§4.4, §5.8), the Reply carries our Magic-Number.
                if (packet.ReadMagic(out _, out var data) == PppControlStatus.Ok)
                {
                    var reply = new byte[4 + data.Length];
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(reply, _lcpOptions.LocalMagic);
                    data.CopyTo(reply.AsSpan(4));
                    _lcp.SendPacket(PppCode.EchoReply, packet.Identifier, reply);
                }
                break;
            case PppCode.EchoReply when fsm == _lcp && _lcp.State == PppFsmState.Opened:
                Counters.EchoRepliesReceived++;
                _echoUnanswered = 0;
                break;
            default:
                // Discard-Request (§5.8) and anything outside Opened: silently discarded (RXR).
                break;
        }
    }

    private void ReceiveProtocolReject(PppControlPacket packet, TimeSpan now)
    {
        if (_lcp.State != PppFsmState.Opened || packet.ReadProtocolReject(out var rejected, out _) != PppControlStatus.Ok)
        {
            return;
        }
        switch (rejected)
        {
            case PppProtocol.Lcp:
                _terminateReason ??= "peer rejected LCP";
                _lcp.ReceiveRejectCatastrophic(now);
                break;
            case PppProtocol.Ipcp:
                _lcp.ReceiveRejectPermitted();
                _ipcp.ReceiveRejectCatastrophic(now);
                break;
            case PppProtocol.Pap:
            case PppProtocol.Chap:
                _lcp.ReceiveRejectPermitted();
                if (_auth is { Finished: false } auth && auth.Protocol == rejected)
                {
                    ((IAuthenticationHost)this).AuthenticationFailed(_options.Name, "peer rejected the authentication protocol", now);
                    auth.Stop();
                }
                break;
            default:
                _lcp.ReceiveRejectPermitted();
                break;
        }
    }

    private void LcpUp(TimeSpan now)
    {
        Phase = PppPhase.Authenticate;
        _echoUnanswered = 0;
        _echoDeadline = _options.EchoInterval > TimeSpan.Zero ? now + _options.EchoInterval : null;
        var method = _options.Role == PppRole.Authenticator ? _lcpOptions.LocalAuth : _lcpOptions.PeerAuth;
        Events.Enqueue(new LinkOpened(_lcpOptions.PeerMru, method));
        if (method is not { } m)
        {
            // §3.5: without an Authentication-Protocol option the phase is skipped.
            EnterNetwork(now);
            return;
        }
        _auth = AuthenticationProtocols.Create(m, _options.Role, _options, this);
        if (_auth is null)
        {
            RequestClose($"authentication method {m} is not implemented");
            return;
        }
        _auth.Start(now);
    }

    private void EnterNetwork(TimeSpan now)
    {
        Phase = PppPhase.Network;
        _ipcp.Open(now);
        _ipcp.Up(now);
    }

    private void TickEcho(TimeSpan now)
    {
        if (_echoDeadline is not { } deadline || now < deadline || _lcp.State != PppFsmState.Opened)
        {
            return;
        }
        if (_echoUnanswered >= _options.EchoFailures)
        {
            _echoDeadline = null;
            Events.Enqueue(new EchoTimeout(_echoUnanswered));
            RequestClose("peer stopped answering Echo-Request");
            return;
        }
        Span<byte> magic = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(magic, _lcpOptions.LocalMagic);
        _lcp.SendPacket(PppCode.EchoRequest, _lcp.NextIdentifier(), magic);
        Counters.EchoRequestsSent++;
        _echoUnanswered++;
        _echoDeadline = now + _options.EchoInterval;
    }

    private void SendFrame(ushort protocol, ReadOnlySpan<byte> packet)
    {
        var frame = new byte[4 + packet.Length];
        PppFrame.Write(frame, protocol, packet);
        Outbox.Add(frame);
    }

    void IAuthenticationHost.SendAuthentication(ushort protocol, ReadOnlySpan<byte> packet) => SendFrame(protocol, packet);

    void IAuthenticationHost.FillRandom(Span<byte> destination) => FillRandom(destination);

    PppAuthVerdict IAuthenticationHost.Authenticate(PppAuthRequest request, TimeSpan now)
    {
        request.Id = ++_lastAuthRequest;
        var verdict = _authenticator?.Authenticate(request) ?? PppAuthVerdict.Reject("unknown user");
        if (verdict.IsPending)
        {
            Counters.AuthenticationsPending++;
            Events.Enqueue(new AuthenticationPending(request.Id, request.PeerName, request.Method));
        }
        return verdict;
    }

    void IAuthenticationHost.AuthenticationSucceeded(string user, PppAuthVerdict? verdict, TimeSpan now)
    {
        if (Phase != PppPhase.Authenticate || _auth is null)
        {
            return;
        }
        Events.Enqueue(new Authenticated(user, _auth.Method, verdict?.Credential) { Addresses = verdict?.Addresses ?? [] });
        EnterNetwork(now);
    }

    void IAuthenticationHost.AuthenticationFailed(string user, string reason, TimeSpan now)
    {
        Events.Enqueue(new AuthenticationFailed(user, reason) { Method = _auth?.Method });
        RequestClose("authentication failed: " + reason);
    }
}
