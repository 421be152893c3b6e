using System.Text;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// CHAP-MD5, peer side (RFC 1994 §2–4): answers every Challenge with MD5(Identifier, secret,
/// Value) and our name, the secret being the credential store's for (our name, the
/// challenger's Name). While Success/Failure is outstanding it repeats the Response every
/// restart period (the authenticator answers a duplicate with the same result, §4.2), so a
/// lost Success does not strand the link. Without any Challenge within Max-Configure restart
/// periods it fails.
/// </summary>
internal sealed class ChapMd5Peer(PppOptions options, IAuthenticationHost host) : AuthenticationProtocol(options, host)
{
    // Sized for our Name, whatever its length (a fixed size would cut long user names).
    private readonly byte[] _buffer = new byte[4 + 1 + 16 + Encoding.UTF8.GetByteCount(options.Name)];
    private int _responseLength;
    private byte _identifier;
    private bool _answered;
    private int _sent;

    public override ushort Protocol => PppProtocol.Chap;

    public override PppAuthMethod Method => PppAuthMethod.ChapMd5;

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
            case ChapCode.Challenge:
                Answer(packet, now);
                break;
            case ChapCode.Success when _answered && packet.Identifier == _identifier:
                _answered = false;
                if (!Finished)
                {
                    Succeed(Options.Name, null, now);
                }
                Deadline = null;
                break;
            case ChapCode.Failure when _answered && packet.Identifier == _identifier:
                _answered = false;
                if (!Finished)
                {
                    Fail(Options.Name, "rejected by the authenticator", now);
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
        Host.SendAuthentication(Protocol, _buffer.AsSpan(0, _responseLength));
        Deadline = now + Options.RestartTimer;
    }

    private void Answer(ChapPacket challenge, TimeSpan now)
    {
        var server = challenge.Name.IsEmpty ? Options.RemoteName : Encoding.UTF8.GetString(challenge.Name);
        if (Options.Credentials is null || !Options.Credentials.TryGetCredential(Options.Name, server, out var credential))
        {
            if (!Finished)
            {
                Fail(Options.Name, "no credential for CHAP towards " + server, now);
            }
            return;
        }
        var response = ChapMd5.Response(challenge.Identifier, credential.Secret, challenge.Value);
        _responseLength = ChapPacket.WriteChallenge(_buffer, ChapCode.Response, challenge.Identifier, response, Encoding.UTF8.GetBytes(Options.Name));
        if (_responseLength == 0)
        {
            return;
        }
        if (challenge.Identifier != _identifier || !_answered)
        {
            _sent = 0;
        }
        _identifier = challenge.Identifier;
        _answered = true;
        _sent++;
        Host.SendAuthentication(Protocol, _buffer.AsSpan(0, _responseLength));
        if (!Finished)
        {
            Deadline = now + Options.RestartTimer;
        }
    }
}
