using System.Text;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// MS-CHAPv2 as a CHAP algorithm (RFC 2759), authenticator side: sends a Challenge with a random
/// 16-octet value (§3) and our Name, retransmits it every restart period (Max-Configure times),
/// has the session's <see cref="IPppAuthenticator"/> judge the 49-octet Response (§4) (client =
/// the Name as sent, server = our name) and answers Success "S=... M=..." (§5) or Failure
/// "E=691 R=0 C=... V=3 M=..." (§6). A pending verdict stops the retransmission and parks the
/// exchange: repeated Responses get no answer until it arrives. The first verdict is final: a
/// repeated Response to the same Identifier gets the same packet again (RFC 1994 §4.2), and no
/// second password can be tried against one challenge. Retry after Failure (R=1) and password
/// change (§7) are not offered.
/// </summary>
internal sealed class MsChapV2AuthenticatorProtocol(PppOptions options, IAuthenticationHost host) : AuthenticationProtocol(options, host)
{
    private readonly byte[] _challenge = new byte[MsChapV2.ChallengeLength];
    private byte[] _challengePacket = [];
    private byte[]? _resultPacket;
    private byte _identifier;
    private int _sent;
    private string _user = "";

    public override ushort Protocol => PppProtocol.Chap;

    public override PppAuthMethod Method => PppAuthMethod.MsChapV2;

    /// <summary>The log reason for a Response Value of the wrong size.</summary>
    internal static string MalformedReason(int valueSize) => $"malformed response (Value-Size {valueSize}, not {MsChapV2.ResponseValueLength})";

    public override void Start(TimeSpan now)
    {
        StartTimeout(now);
        _identifier = RandomByte();
        Host.FillRandom(_challenge);
        var name = Encoding.UTF8.GetBytes(Options.Name);
        _challengePacket = new byte[4 + 1 + MsChapV2.ChallengeLength + name.Length];
        var length = ChapPacket.WriteChallenge(_challengePacket, ChapCode.Challenge, _identifier, _challenge, name);
        _challengePacket = _challengePacket[..length];
        SendChallenge(now);
    }

    public override void Receive(ReadOnlySpan<byte> information, TimeSpan now)
    {
        if (_challengePacket.Length == 0 || ChapPacket.Parse(information, out var packet) != ChapStatus.Ok
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
        if (packet.Value.Length != MsChapV2.ResponseValueLength)
        {
            // Not worth a back end's time: no valid proof can be in it.
            Apply(PppAuthVerdict.Reject(MalformedReason(packet.Value.Length)), now);
            return;
        }
        if (Judge(PppAuthRequest.ForMsChapV2(Options.Name, packet.Name, _identifier, _challenge, packet.Value), now) is { } verdict)
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
        if (verdict.IsAccepted && !IsSuccessMessage(verdict.Message))
        {
            // The peer checks the authenticator response (§5); without one it would fail anyway.
            verdict = PppAuthVerdict.Reject("the authenticator accepted without an MS-CHAPv2 Success message (S=...)");
        }
        var message = verdict.HasMessage && (verdict.IsAccepted || verdict.Message.StartsWith("E="u8))
            ? verdict.Message
            : MsChapV2.Fail(MsChapV2Outcome.WrongResponse, _challenge).Message;
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

    private static bool IsSuccessMessage(ReadOnlySpan<byte> message) => message.StartsWith("S="u8);

    private void SendChallenge(TimeSpan now)
    {
        _sent++;
        Host.SendAuthentication(Protocol, _challengePacket);
        Deadline = Min(now + Options.RestartTimer, TimeoutAt);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
