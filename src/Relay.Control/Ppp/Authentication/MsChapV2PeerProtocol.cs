using System.Text;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// MS-CHAPv2 as a CHAP algorithm (RFC 2759), peer side: answers a Challenge (Value-Size 16, §3;
/// any other size is discarded) with a fresh random Peer-Challenge and the NT-Response (§4, §8.1)
/// computed from the credential store's secret for (our name, the challenger's Name). A repeated
/// Challenge (same Identifier and value) gets the very same Response again, so whichever copy the
/// authenticator judged, its Success refers to the Peer-Challenge we kept. The Response is
/// repeated every restart period until Success or Failure (Max-Configure times). Success is
/// accepted only when its "S=" proves the authenticator knows the password (§5, §8.8: mutual
/// authentication); otherwise, and on Failure (§6), authentication fails. A Failure's retry
/// (R=1) and password change (§7) are not attempted. Without any Challenge within Max-Configure
/// restart periods it fails.
/// </summary>
internal sealed class MsChapV2PeerProtocol(PppOptions options, IAuthenticationHost host) : AuthenticationProtocol(options, host)
{
    /// <summary>Longest piece of the authenticator's Failure text copied into a reason.</summary>
    private const int MaxReasonText = 64;

    private readonly byte[] _challenge = new byte[MsChapV2.ChallengeLength];
    private readonly byte[] _peerChallenge = new byte[MsChapV2.ChallengeLength];
    private readonly byte[] _ntResponse = new byte[MsChapV2.NtResponseLength];
    private byte[] _response = [];
    private PppCredential? _credential;
    private byte _identifier;
    private bool _answered;
    private int _sent;

    public override ushort Protocol => PppProtocol.Chap;

    public override PppAuthMethod Method => PppAuthMethod.MsChapV2;

    public override void Start(TimeSpan now) => Deadline = now + Options.RestartTimer * MaxTransmissions;

    public override void Receive(ReadOnlySpan<byte> information, TimeSpan now)
    {
        if (ChapPacket.Parse(information, out var packet) != ChapStatus.Ok)
        {
            Host.Counters.AuthenticationDiscarded++;
            return;
        }
        switch (packet.Code)
        {
            case ChapCode.Challenge when packet.Value.Length == MsChapV2.ChallengeLength:
                Answer(packet, now);
                break;
            case ChapCode.Success when _answered && packet.Identifier == _identifier:
                _answered = false;
                if (!Finished)
                {
                    CheckSuccess(packet.Message, now);
                }
                Deadline = null;
                break;
            case ChapCode.Failure when _answered && packet.Identifier == _identifier:
                _answered = false;
                if (!Finished)
                {
                    Fail(Options.Name, FailureReason(packet.Message), now);
                }
                break;
            default:
                Host.Counters.AuthenticationDiscarded++;
                break;
        }
    }

    public override void Tick(TimeSpan now)
    {
        if (Deadline is not { } deadline || now < deadline || Finished)
        {
            return;
        }
        if (!_answered || _sent >= MaxTransmissions)
        {
            Fail(Options.Name, _answered ? "no Success or Failure from the authenticator" : "no challenge from the authenticator", now);
            return;
        }
        _sent++;
        Host.SendAuthentication(Protocol, _response);
        Deadline = now + Options.RestartTimer;
    }

    private void Answer(ChapPacket challenge, TimeSpan now)
    {
        var repeated = _response.Length > 0 && challenge.Identifier == _identifier && challenge.Value.SequenceEqual(_challenge);
        if (!repeated && !Respond(challenge, now))
        {
            return;
        }
        if (!repeated || !_answered)
        {
            _sent = 0;
        }
        _answered = true;
        _sent++;
        Host.SendAuthentication(Protocol, _response);
        if (!Finished)
        {
            Deadline = now + Options.RestartTimer;
        }
    }

    /// <summary>Builds the Response to a new Challenge; false (after failing) without a credential.</summary>
    private bool Respond(ChapPacket challenge, TimeSpan now)
    {
        var server = challenge.Name.IsEmpty ? Options.RemoteName : Encoding.UTF8.GetString(challenge.Name);
        if (Options.Credentials is null || !Options.Credentials.TryGetCredential(Options.Name, server, out var credential))
        {
            if (!Finished)
            {
                Fail(Options.Name, "no credential for MS-CHAPv2 towards " + server, now);
            }
            return false;
        }
        var name = Encoding.UTF8.GetBytes(Options.Name);
        challenge.Value.CopyTo(_challenge);
        Host.FillRandom(_peerChallenge);
        MsChapV2.GenerateNtResponse(_challenge, _peerChallenge, name, credential.Secret, _ntResponse);
        Span<byte> value = stackalloc byte[MsChapV2.ResponseValueLength];
        MsChapV2.WriteResponseValue(value, _peerChallenge, _ntResponse);
        _response = new byte[4 + 1 + MsChapV2.ResponseValueLength + name.Length];
        _response = _response[..ChapPacket.WriteChallenge(_response, ChapCode.Response, challenge.Identifier, value, name)];
        _credential = credential;
        _identifier = challenge.Identifier;
        _answered = false;
        return true;
    }

    /// <summary>RFC 2759 §5: the peer MUST check the authenticator response before accepting Success.</summary>
    private void CheckSuccess(ReadOnlySpan<byte> message, TimeSpan now)
    {
        if (_credential is null || !MsChapV2.TryParseSuccessMessage(message, out var authenticatorResponse, out _))
        {
            Fail(Options.Name, "Success without an authenticator response", now);
            return;
        }
        if (!MsChapV2.CheckAuthenticatorResponse(_credential.Secret, _ntResponse, _peerChallenge, _challenge,
                Encoding.UTF8.GetBytes(Options.Name), authenticatorResponse))
        {
            Fail(Options.Name, "authenticator response does not match: the authenticator does not know the password", now);
            return;
        }
        Succeed(Options.Name, null, now);
    }

    /// <summary>The reason for a Failure: its error code and (printable, shortened) text; never a secret of ours.</summary>
    private static string FailureReason(ReadOnlySpan<byte> message)
    {
        if (!MsChapV2.TryParseFailureMessage(message, out var failure))
        {
            return "rejected by the authenticator";
        }
        var text = new StringBuilder(Math.Min(failure.Message.Length, MaxReasonText));
        foreach (var c in failure.Message.AsSpan(0, Math.Min(failure.Message.Length, MaxReasonText)))
        {
            text.Append(char.IsControl(c) ? '?' : c);
        }
        return text.Length == 0
            ? $"rejected by the authenticator (E={failure.Error})"
            : $"rejected by the authenticator (E={failure.Error}: {text})";
    }
}
