using System.Text;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// PAP, authenticator side (RFC 1334 §2): waits for Authenticate-Request, has the session's
/// <see cref="IPppAuthenticator"/> judge Peer-ID and Password (client = Peer-ID, server = our
/// name) and answers Ack or Nak. While the verdict is pending, repeated requests get no answer
/// (the first request is the one judged); the verdict answers the latest Identifier. Once
/// decided, a repeated request gets the same answer again (its Ack was lost). No verdict within
/// the authentication timeout (Max-Configure restart periods by default) fails.
/// </summary>
internal sealed class PapAuthenticator(PppOptions options, IAuthenticationHost host) : AuthenticationProtocol(options, host)
{
    private readonly byte[] _buffer = new byte[4 + 1 + byte.MaxValue];
    private PapCode? _answer;
    private byte[] _message = [];
    private byte _identifier;
    private string _user = "";

    public override ushort Protocol => PppProtocol.Pap;

    public override PppAuthMethod Method => PppAuthMethod.Pap;

    public override void Start(TimeSpan now)
    {
        StartTimeout(now);
        Deadline = TimeoutAt;
    }

    public override void Receive(ReadOnlySpan<byte> information, TimeSpan now)
    {
        if (PapPacket.Parse(information, out var packet) != PapStatus.Ok || packet.Code != PapCode.AuthenticateRequest)
        {
            Host.Counters.AuthenticationDiscarded++;
            return;
        }
        _identifier = packet.Identifier;
        if (_answer is { } answer)
        {
            SendResult(answer);
            return;
        }
        if (IsPending)
        {
            Host.Counters.AuthenticationRepeatsWhilePending++;
            return;
        }
        if (Finished)
        {
            return;
        }
        _user = Encoding.UTF8.GetString(packet.PeerId);
        if (Judge(PppAuthRequest.ForPap(Options.Name, packet.PeerId, packet.Password), now) is { } verdict)
        {
            Apply(verdict, now);
        }
    }

    public override void Tick(TimeSpan now)
    {
        if (TickPending(now))
        {
            return;
        }
        if (Deadline is { } deadline && now >= deadline)
        {
            Fail("", "no Authenticate-Request from the peer", now);
        }
    }

    protected override void Apply(PppAuthVerdict verdict, TimeSpan now)
    {
        // The peer learns only that it failed, not why (unless the back end chose a message).
        var message = verdict.HasMessage ? verdict.Message : verdict.IsAccepted ? "welcome"u8 : "authentication failed"u8;
        _message = message[..Math.Min(message.Length, byte.MaxValue)].ToArray();
        _answer = verdict.IsAccepted ? PapCode.AuthenticateAck : PapCode.AuthenticateNak;
        SendResult(_answer.Value);
        if (verdict.IsAccepted)
        {
            Succeed(_user, verdict, now);
        }
        else
        {
            Fail(_user, verdict.Reason, now);
        }
    }

    private void SendResult(PapCode code)
    {
        var length = PapPacket.WriteResult(_buffer, code, _identifier, _message);
        Host.SendAuthentication(Protocol, _buffer.AsSpan(0, length));
    }
}
