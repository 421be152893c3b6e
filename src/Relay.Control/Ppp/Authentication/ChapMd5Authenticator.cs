using System.Text;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// CHAP-MD5, authenticator side (RFC 1994 §2–4): sends a Challenge with a random 16-octet value
/// and Identifier, retransmits it every restart period (Max-Configure times), has the session's
/// <see cref="IPppAuthenticator"/> judge the Response (client = the peer's Name, server = our
/// name) and answers Success or Failure. A pending verdict stops the retransmission and parks
/// the exchange: repeated Responses get no answer until it arrives. Once decided, a repeated
/// Response to the same Identifier gets the same answer again (§4.2). Periodic re-challenge is
/// not done.
/// </summary>
internal sealed class ChapMd5Authenticator(PppOptions options, IAuthenticationHost host) : AuthenticationProtocol(options, host)
{
    private readonly byte[] _challenge = new byte[ChapMd5.ChallengeLength];
    private byte[] _challengePacket = [];
    private byte[]? _resultPacket;
    private byte _identifier;
    private int _sent;
    private string _user = "";

    public override ushort Protocol => PppProtocol.Chap;

    public override PppAuthMethod Method => PppAuthMethod.ChapMd5;

    public override void Start(TimeSpan now)
    {
        StartTimeout(now);
        _identifier = RandomByte();
        Host.FillRandom(_challenge);
        var name = Encoding.UTF8.GetBytes(Options.Name);
        _challengePacket = new byte[4 + 1 + ChapMd5.ChallengeLength + name.Length];
        ChapPacket.WriteChallenge(_challengePacket, ChapCode.Challenge, _identifier, _challenge, name);
        SendChallenge(now);
    }

    public override void Receive(ReadOnlySpan<byte> information, TimeSpan now)
    {
        if (ChapPacket.Parse(information, out var packet) != ChapStatus.Ok || packet.Code != ChapCode.Response
            || packet.Identifier != _identifier)
        {
            Host.Counters.AuthenticationDiscarded++;
            return;
        }
        if (_resultPacket is not null)
        {
            Host.SendAuthentication(Protocol, _resultPacket);
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
        _user = Encoding.UTF8.GetString(packet.Name);
        if (Judge(PppAuthRequest.ForChapMd5(Options.Name, packet.Name, _identifier, _challenge, packet.Value), now) is { } verdict)
        {
            Apply(verdict, now);
        }
    }

    public override void Tick(TimeSpan now)
    {
        if (TickPending(now) || Deadline is not { } deadline || now < deadline)
        {
            return;
        }
        if (_sent >= MaxTransmissions || now >= TimeoutAt)
        {
            Fail("", "no response to challenge", now);
            return;
        }
        SendChallenge(now);
    }

    protected override void Apply(PppAuthVerdict verdict, TimeSpan now)
    {
        var message = verdict.HasMessage ? verdict.Message : verdict.IsAccepted ? "welcome"u8 : "authentication failed"u8;
        _resultPacket = new byte[4 + message.Length];
        ChapPacket.WriteResult(_resultPacket, verdict.IsAccepted ? ChapCode.Success : ChapCode.Failure, _identifier, message);
        Host.SendAuthentication(Protocol, _resultPacket);
        if (verdict.IsAccepted)
        {
            Succeed(_user, verdict, now);
        }
        else
        {
            Fail(_user, verdict.Reason, now);
        }
    }

    private void SendChallenge(TimeSpan now)
    {
        _sent++;
        Host.SendAuthentication(Protocol, _challengePacket);
        Deadline = Min(now + Options.RestartTimer, TimeoutAt);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
