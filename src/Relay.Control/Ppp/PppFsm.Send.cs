using System.Text;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp;

internal sealed partial class PppFsm
{
    /// <summary>A fresh Identifier for a packet of this protocol (§5: changed for every new request).</summary>
    public byte NextIdentifier() => _nextIdentifier++;

    /// <summary>Sends a packet of this protocol with the given Code, Identifier and Data (Echo-Reply, Protocol-Reject …).</summary>
    public void SendPacket(PppCode code, byte identifier, ReadOnlySpan<byte> data)
    {
        var writer = new PppControlWriter(_scratch, code, identifier);
        var room = MaxPacket - PppControlPacket.HeaderLength;
        writer.WriteData(data.Length > room ? data[..room] : data);
        Send(writer.Finish());
    }

    /// <summary>scr (§4.4): a new Configure-Request with a new Identifier; decrements the restart counter.</summary>
    private void SendConfigureRequest(TimeSpan now)
    {
        _requestIdentifier = NextIdentifier();
        var writer = new PppControlWriter(_scratch, PppCode.ConfigureRequest, _requestIdentifier);
        _negotiator.WriteRequest(ref writer);
        var length = writer.Finish();
        _lastRequestOptions = _scratch.AsSpan(PppControlPacket.HeaderLength, Math.Max(0, length - PppControlPacket.HeaderLength)).ToArray();
        _awaitingReply = true;
        ConfigureRequestsSent++;
        Send(length);
        _restartCount--;
        Deadline = now + _options.RestartTimer;
    }

    /// <summary>sca (§4.4): Configure-Ack echoing the request's options; the peer's values are adopted.</summary>
    private void SendConfigureAck(PppControlPacket request)
    {
        _negotiator.CommitPeerRequest();
        _nakCount = 0;
        SendPacket(PppCode.ConfigureAck, request.Identifier, request.Data);
    }

    /// <summary>
    /// scn (§4.4): Configure-Reject when any option is refused, else Configure-Nak; after
    /// Max-Failure Naks without an Ack the Nak'd options are rejected instead (§4.6).
    /// </summary>
    private void SendConfigureNak(byte identifier)
    {
        if (_verdicts.HasRejects)
        {
            SendPacket(PppCode.ConfigureReject, identifier, _verdicts.Rejects);
        }
        else if (_nakCount >= _options.MaxFailure && !_verdicts.NaksAsRejects.IsEmpty)
        {
            SendPacket(PppCode.ConfigureReject, identifier, _verdicts.NaksAsRejects);
        }
        else
        {
            _nakCount++;
            SendPacket(PppCode.ConfigureNak, identifier, _verdicts.Naks);
        }
    }

    /// <summary>str (§4.4): Terminate-Request carrying the close reason; decrements the restart counter.</summary>
    private void SendTerminateRequest(TimeSpan now)
    {
        Span<byte> reason = stackalloc byte[128];
        var written = Encoding.UTF8.GetBytes(_terminateReason.AsSpan(0, Math.Min(_terminateReason.Length, 40)), reason);
        SendPacket(PppCode.TerminateRequest, NextIdentifier(), reason[..written]);
        _restartCount--;
        Deadline = now + _options.RestartTimer;
    }

    /// <summary>sta (§4.4).</summary>
    private void SendTerminateAck(byte identifier) => SendPacket(PppCode.TerminateAck, identifier, default);

    /// <summary>scj (§4.4, §5.6): the rejected packet, truncated to fit.</summary>
    private void SendCodeReject(ReadOnlySpan<byte> rejected) => SendPacket(PppCode.CodeReject, NextIdentifier(), rejected);

    private void Send(int length)
    {
        if (length > 0)
        {
            _host.SendControl(Protocol, _scratch.AsSpan(0, length));
        }
    }
}
