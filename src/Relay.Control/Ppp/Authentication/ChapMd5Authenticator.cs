using System.Security.Cryptography;
using System.Text;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// CHAP-MD5, authenticator side (RFC 1994 §2–4): sends a Challenge with a random 16-octet value
/// and Identifier, retransmits it every restart period (Max-Configure times), checks the
/// Response against the secret of (peer's Name, our name) and answers Success or Failure. A
/// repeated Response to the same Identifier gets the same answer again (§4.2). Periodic
/// re-challenge is not done.
/// </summary>
internal sealed class ChapMd5Authenticator(PppOptions options, IAuthenticationHost host) : AuthenticationProtocol(options, host)
{
    private readonly byte[] _challenge = new byte[ChapMd5.ChallengeLength];
    // Large enough for the Challenge with our Name and for the short Success/Failure texts.
    private readonly byte[] _buffer = new byte[4 + 1 + ChapMd5.ChallengeLength + Math.Max(Encoding.UTF8.GetByteCount(options.Name), 64)];
    private byte _identifier;
    private int _sent;
    private bool? _result;

    public override ushort Protocol => PppProtocol.Chap;

    public override PppAuthMethod Method => PppAuthMethod.ChapMd5;

    public override void Start(TimeSpan now)
    {
        _identifier = RandomByte();
        Host.FillRandom(_challenge);
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
        if (_result is { } earlier)
        {
            SendResult(earlier);
            return;
        }
        var user = Encoding.UTF8.GetString(packet.Name);
        if (Options.Credentials is null || !Options.Credentials.TryGetCredential(user, Options.Name, out var credential))
        {
            Finish(user, false, "unknown user", null, now);
            return;
        }
        var expected = ChapMd5.Response(_identifier, credential.Secret, _challenge);
        if (!CryptographicOperations.FixedTimeEquals(expected, packet.Value))
        {
            Finish(user, false, "wrong response to challenge", null, now);
            return;
        }
        Finish(user, true, "", credential, now);
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

    private void Finish(string user, bool success, string reason, PppCredential? credential, TimeSpan now)
    {
        _result = success;
        SendResult(success);
        if (success)
        {
            Succeed(user, credential, now);
        }
        else
        {
            Fail(user, reason, now);
        }
    }

    private void SendChallenge(TimeSpan now)
    {
        _sent++;
        var length = ChapPacket.WriteChallenge(_buffer, ChapCode.Challenge, _identifier, _challenge, Encoding.UTF8.GetBytes(Options.Name));
        Host.SendAuthentication(Protocol, _buffer.AsSpan(0, length));
        Deadline = now + Options.RestartTimer;
    }

    private void SendResult(bool success)
    {
        var length = ChapPacket.WriteResult(_buffer, success ? ChapCode.Success : ChapCode.Failure, _identifier,
            Encoding.ASCII.GetBytes(success ? "welcome" : "authentication failed"));
        Host.SendAuthentication(Protocol, _buffer.AsSpan(0, length));
    }
}
