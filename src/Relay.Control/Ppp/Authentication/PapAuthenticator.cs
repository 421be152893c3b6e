using System.Security.Cryptography;
using System.Text;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// PAP, authenticator side (RFC 1334 §2): waits for Authenticate-Request, checks Peer-ID and
/// Password against the credential store (client = Peer-ID, server = our name) and answers
/// Ack or Nak. A repeated request after success is Ack'd again (its Ack was lost). No request
/// within Max-Configure restart periods fails.
/// </summary>
internal sealed class PapAuthenticator(PppOptions options, IAuthenticationHost host) : AuthenticationProtocol(options, host)
{
    private readonly byte[] _buffer = new byte[260];
    private bool _succeeded;

    public override ushort Protocol => PppProtocol.Pap;

    public override PppAuthMethod Method => PppAuthMethod.Pap;

    public override void Start(TimeSpan now) => Deadline = now + Options.RestartTimer * MaxTransmissions;

    public override void Receive(ReadOnlySpan<byte> information, TimeSpan now)
    {
        if (PapPacket.Parse(information, out var packet) != PapStatus.Ok || packet.Code != PapCode.AuthenticateRequest)
        {
            Host.Counters.AuthenticationDiscarded++;
            return;
        }
        if (Finished)
        {
            if (_succeeded)
            {
                SendResult(PapCode.AuthenticateAck, packet.Identifier, "welcome");
            }
            return;
        }
        var user = Encoding.UTF8.GetString(packet.PeerId);
        if (Options.Credentials is null || !Options.Credentials.TryGetCredential(user, Options.Name, out var credential))
        {
            Reject(user, packet.Identifier, "unknown user", now);
            return;
        }
        var secret = Encoding.UTF8.GetBytes(credential.Secret);
        if (!CryptographicOperations.FixedTimeEquals(secret, packet.Password))
        {
            Reject(user, packet.Identifier, "wrong password", now);
            return;
        }
        _succeeded = true;
        SendResult(PapCode.AuthenticateAck, packet.Identifier, "welcome");
        Succeed(user, credential, now);
    }

    public override void Tick(TimeSpan now)
    {
        if (Deadline is { } deadline && now >= deadline)
        {
            Fail("", "no Authenticate-Request from the peer", now);
        }
    }

    private void Reject(string user, byte identifier, string reason, TimeSpan now)
    {
        // The peer learns only that it failed, not why.
        SendResult(PapCode.AuthenticateNak, identifier, "authentication failed");
        Fail(user, reason, now);
    }

    private void SendResult(PapCode code, byte identifier, string message)
    {
        var length = PapPacket.WriteResult(_buffer, code, identifier, Encoding.ASCII.GetBytes(message));
        Host.SendAuthentication(Protocol, _buffer.AsSpan(0, length));
    }
}
