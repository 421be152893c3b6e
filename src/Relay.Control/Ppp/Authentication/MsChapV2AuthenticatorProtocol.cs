using System.Text;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// MS-CHAPv2 as a CHAP algorithm (RFC 2759), authenticator side: sends a Challenge with a random
/// 16-octet value (§3) and our Name, retransmits it every restart period (Max-Configure times),
/// judges the 49-octet Response (§4) with <see cref="MsChapV2Authenticator"/> (client = the Name
/// as sent, server = our name) and answers Success "S=... M=..." (§5) or Failure
/// "E=691 R=0 C=... V=3 M=..." (§6). The first verdict is final: a repeated Response to the same
/// Identifier gets the same packet again (RFC 1994 §4.2), and no second password can be tried
/// against one challenge. Retry after Failure (R=1) and password change (§7) are not offered.
/// </summary>
internal sealed class MsChapV2AuthenticatorProtocol(PppOptions options, IAuthenticationHost host) : AuthenticationProtocol(options, host)
{
    private MsChapV2Authenticator? _exchange;
    private byte[] _challengePacket = [];
    private byte[]? _resultPacket;
    private byte _identifier;
    private int _sent;

    public override ushort Protocol => PppProtocol.Chap;

    public override PppAuthMethod Method => PppAuthMethod.MsChapV2;

    public override void Start(TimeSpan now)
    {
        _identifier = RandomByte();
        Span<byte> challenge = stackalloc byte[MsChapV2.ChallengeLength];
        Host.FillRandom(challenge);
        _exchange = new MsChapV2Authenticator(challenge);
        var name = Encoding.UTF8.GetBytes(Options.Name);
        _challengePacket = new byte[4 + 1 + MsChapV2.ChallengeLength + name.Length];
        var length = ChapPacket.WriteChallenge(_challengePacket, ChapCode.Challenge, _identifier, challenge, name);
        _challengePacket = _challengePacket[..length];
        SendChallenge(now);
    }

    public override void Receive(ReadOnlySpan<byte> information, TimeSpan now)
    {
        if (_exchange is null || ChapPacket.Parse(information, out var packet) != ChapStatus.Ok
            || packet.Code != ChapCode.Response || packet.Identifier != _identifier)
        {
            Host.Counters.AuthenticationDiscarded++;
            return;
        }
        if (_resultPacket is not null)
        {
            // RFC 1994 §4.2: a retransmitted Response (our Success or Failure was lost) gets the same answer.
            Host.SendAuthentication(Protocol, _resultPacket);
            return;
        }
        var user = Encoding.UTF8.GetString(packet.Name);
        var verdict = Options.Credentials is null
            ? MsChapV2.Fail(MsChapV2Outcome.UnknownUser, _exchange.Challenge)
            : _exchange.Verify(packet.Value, packet.Name, Options.Credentials, Options.Name);
        _resultPacket = new byte[4 + verdict.Message.Length];
        ChapPacket.WriteResult(_resultPacket, verdict.IsSuccess ? ChapCode.Success : ChapCode.Failure, _identifier, verdict.Message);
        Host.SendAuthentication(Protocol, _resultPacket);
        switch (verdict.Outcome)
        {
            case MsChapV2Outcome.Success:
                Succeed(user, verdict.Credential, now);
                break;
            case MsChapV2Outcome.UnknownUser:
                Fail(user, "unknown user", now);
                break;
            case MsChapV2Outcome.MalformedResponse:
                Fail(user, $"malformed response (Value-Size {packet.Value.Length}, not {MsChapV2.ResponseValueLength})", now);
                break;
            default:
                Fail(user, "wrong response to challenge", now);
                break;
        }
    }

    public override void Tick(TimeSpan now)
    {
        if (Deadline is not { } deadline || now < deadline)
        {
            return;
        }
        if (_sent >= MaxTransmissions)
        {
            Fail("", "no response to challenge", now);
            return;
        }
        SendChallenge(now);
    }

    private void SendChallenge(TimeSpan now)
    {
        _sent++;
        Host.SendAuthentication(Protocol, _challengePacket);
        Deadline = now + Options.RestartTimer;
    }
}
