using Relay.Wire.Ppp;

namespace Relay.Control.Ppp;

internal sealed partial class PppFsm
{
    /// <summary>
    /// Takes the Information field of one frame of this protocol and turns it into the receive
    /// events of §4.3: RCR+/RCR-, RCA, RCN, RTR, RTA, RUC, RXJ+/RXJ-; LCP's own Codes go to the host.
    /// </summary>
    public void Receive(ReadOnlySpan<byte> information, TimeSpan now)
    {
        var status = PppControlPacket.Parse(information, Protocol, out var packet);
        if (status is not (PppControlStatus.Ok or PppControlStatus.UnknownCode)
            || State is PppFsmState.Initial or PppFsmState.Starting)
        {
            // §4.2: no packets are expected before the lower layer is up; §5: bad Length is discarded.
            Discarded++;
            return;
        }
        if (status == PppControlStatus.UnknownCode)
        {
            ReceiveUnknownCode(packet);
            return;
        }
        switch (packet.Code)
        {
            case PppCode.ConfigureRequest:
                if (PppOptionReader.Validate(packet.Data) != PppOptionStatus.Ok)
                {
                    Discarded++;
                    return;
                }
                ReceiveConfigureRequest(packet, now);
                break;
            case PppCode.ConfigureAck:
                ReceiveConfigureAck(packet, now);
                break;
            case PppCode.ConfigureNak:
            case PppCode.ConfigureReject:
                ReceiveConfigureNakOrReject(packet, now);
                break;
            case PppCode.TerminateRequest:
                ReceiveTerminateRequest(packet, now);
                break;
            case PppCode.TerminateAck:
                ReceiveTerminateAck(now);
                break;
            case PppCode.CodeReject:
                ReceiveCodeReject(packet, now);
                break;
            default:
                _host.ReceiveExtended(this, packet, now);
                break;
        }
    }

    /// <summary>True when a reply carries the Identifier of our last Configure-Request and none was taken yet (§5.2).</summary>
    private bool IsReplyToLastRequest(PppControlPacket packet)
        => _awaitingReply && packet.Identifier == _requestIdentifier;

    private void ReceiveConfigureRequest(PppControlPacket packet, TimeSpan now)
    {
        _verdicts.Clear();
        if (State is not (PppFsmState.Closed or PppFsmState.Closing or PppFsmState.Stopping))
        {
            _negotiator.JudgeRequest(packet.Data, _verdicts);
        }
        var acceptable = !_verdicts.HasNaks && !_verdicts.HasRejects;
        switch (State)
        {
            case PppFsmState.Closed:
                SendTerminateAck(packet.Identifier);
                break;
            case PppFsmState.Stopped:
                StartNegotiation(now);
                SendConfigureReply(packet, acceptable, PppFsmState.AckSent, PppFsmState.RequestSent);
                break;
            case PppFsmState.RequestSent:
            case PppFsmState.AckSent:
                SendConfigureReply(packet, acceptable, PppFsmState.AckSent, PppFsmState.RequestSent);
                break;
            case PppFsmState.AckReceived:
                SendConfigureReply(packet, acceptable, PppFsmState.Opened, PppFsmState.AckReceived);
                if (acceptable)
                {
                    _host.ThisLayerUp(this, now);
                }
                break;
            case PppFsmState.Opened:
                _host.ThisLayerDown(this, now);
                SendConfigureRequest(now);
                SendConfigureReply(packet, acceptable, PppFsmState.AckSent, PppFsmState.RequestSent);
                break;
        }
    }

    private void SendConfigureReply(PppControlPacket request, bool acceptable, PppFsmState ifAck, PppFsmState ifNak)
    {
        if (acceptable)
        {
            SetState(ifAck);
            SendConfigureAck(request);
        }
        else
        {
            SetState(ifNak);
            SendConfigureNak(request.Identifier);
        }
    }

    private void ReceiveConfigureAck(PppControlPacket packet, TimeSpan now)
    {
        switch (State)
        {
            case PppFsmState.Closed:
            case PppFsmState.Stopped:
                SendTerminateAck(packet.Identifier);
                return;
            case PppFsmState.Closing:
            case PppFsmState.Stopping:
                return;
        }
        // §5.2: the Identifier must match the last Configure-Request and the options must be
        // exactly those sent; anything else is silently discarded.
        if (!IsReplyToLastRequest(packet) || !packet.Data.SequenceEqual(_lastRequestOptions))
        {
            Discarded++;
            return;
        }
        _awaitingReply = false;
        switch (State)
        {
            case PppFsmState.RequestSent:
                _negotiator.ReceiveAck(packet.Data);
                InitializeRestartCount(configure: true);
                SetState(PppFsmState.AckReceived);
                break;
            case PppFsmState.AckReceived:
                // Crossed connection (the "x" of the table).
                SetState(PppFsmState.RequestSent);
                SendConfigureRequest(now);
                break;
            case PppFsmState.AckSent:
                _negotiator.ReceiveAck(packet.Data);
                InitializeRestartCount(configure: true);
                SetState(PppFsmState.Opened);
                _host.ThisLayerUp(this, now);
                break;
            case PppFsmState.Opened:
                _host.ThisLayerDown(this, now);
                SetState(PppFsmState.RequestSent);
                SendConfigureRequest(now);
                break;
        }
    }

    private void ReceiveConfigureNakOrReject(PppControlPacket packet, TimeSpan now)
    {
        switch (State)
        {
            case PppFsmState.Closed:
            case PppFsmState.Stopped:
                SendTerminateAck(packet.Identifier);
                return;
            case PppFsmState.Closing:
            case PppFsmState.Stopping:
                return;
        }
        if (!IsReplyToLastRequest(packet) || PppOptionReader.Validate(packet.Data) != PppOptionStatus.Ok)
        {
            Discarded++;
            return;
        }
        _awaitingReply = false;
        if (State != PppFsmState.Opened)
        {
            if (packet.Code == PppCode.ConfigureNak)
            {
                _negotiator.ReceiveNak(packet.Data);
            }
            else
            {
                _negotiator.ReceiveReject(packet.Data);
            }
        }
        if (State is PppFsmState.Initial or PppFsmState.Starting or PppFsmState.Closed or PppFsmState.Stopped
            or PppFsmState.Closing or PppFsmState.Stopping)
        {
            // The negotiator closed the layer while applying the answer (e.g. no method left).
            return;
        }
        switch (State)
        {
            case PppFsmState.RequestSent:
                InitializeRestartCount(configure: true);
                SendConfigureRequest(now);
                break;
            case PppFsmState.AckReceived:
                SetState(PppFsmState.RequestSent);
                SendConfigureRequest(now);
                break;
            case PppFsmState.AckSent:
                InitializeRestartCount(configure: true);
                SendConfigureRequest(now);
                break;
            case PppFsmState.Opened:
                _host.ThisLayerDown(this, now);
                SetState(PppFsmState.RequestSent);
                SendConfigureRequest(now);
                break;
        }
    }

    private void ReceiveTerminateRequest(PppControlPacket packet, TimeSpan now)
    {
        switch (State)
        {
            case PppFsmState.AckReceived:
            case PppFsmState.AckSent:
                SetState(PppFsmState.RequestSent);
                SendTerminateAck(packet.Identifier);
                break;
            case PppFsmState.Opened:
                SetState(PppFsmState.Stopping);
                _host.ThisLayerDown(this, now);
                ZeroRestartCount(now);
                SendTerminateAck(packet.Identifier);
                break;
            default:
                SendTerminateAck(packet.Identifier);
                break;
        }
    }

    private void ReceiveTerminateAck(TimeSpan now)
    {
        switch (State)
        {
            case PppFsmState.Closing:
                SetState(PppFsmState.Closed);
                _host.ThisLayerFinished(this, now);
                break;
            case PppFsmState.Stopping:
                SetState(PppFsmState.Stopped);
                _host.ThisLayerFinished(this, now);
                break;
            case PppFsmState.AckReceived:
                SetState(PppFsmState.RequestSent);
                break;
            case PppFsmState.Opened:
                _host.ThisLayerDown(this, now);
                SetState(PppFsmState.RequestSent);
                SendConfigureRequest(now);
                break;
        }
    }

    /// <summary>RUC (§4.3): answered with Code-Reject in every state past Starting.</summary>
    private void ReceiveUnknownCode(PppControlPacket packet) => SendCodeReject(packet.Packet);

    private void ReceiveCodeReject(PppControlPacket packet, TimeSpan now)
    {
        if (packet.ReadCodeReject(out var code, out _) != PppControlStatus.Ok)
        {
            Discarded++;
            return;
        }
        // §5.6: rejecting a Code the automaton depends on (Configure-*, Terminate-*, Code-Reject)
        // is catastrophic; LCP's Protocol-Reject, Echo and Discard may be rejected.
        if (code is >= PppCode.ConfigureRequest and <= PppCode.CodeReject)
        {
            ReceiveRejectCatastrophic(now);
        }
        else
        {
            ReceiveRejectPermitted();
        }
    }

    /// <summary>RXJ+ (§4.3): a Code-Reject or Protocol-Reject we can live with.</summary>
    public void ReceiveRejectPermitted()
    {
        if (State == PppFsmState.AckReceived)
        {
            SetState(PppFsmState.RequestSent);
        }
    }

    /// <summary>RXJ- (§4.3): the peer cannot run this protocol.</summary>
    public void ReceiveRejectCatastrophic(TimeSpan now)
    {
        switch (State)
        {
            case PppFsmState.Closed:
            case PppFsmState.Closing:
                SetState(PppFsmState.Closed);
                _host.ThisLayerFinished(this, now);
                break;
            case PppFsmState.Stopped:
            case PppFsmState.Stopping:
            case PppFsmState.RequestSent:
            case PppFsmState.AckReceived:
            case PppFsmState.AckSent:
                SetState(PppFsmState.Stopped);
                _host.ThisLayerFinished(this, now);
                break;
            case PppFsmState.Opened:
                SetState(PppFsmState.Stopping);
                _host.ThisLayerDown(this, now);
                InitializeRestartCount(configure: false);
                SendTerminateRequest(now);
                break;
        }
    }
}
