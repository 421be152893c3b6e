using System.Text;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// PAP, peer side (RFC 1334 §2): sends Authenticate-Request with our name and the secret the
/// credential store holds for (our name, <see cref="PppOptions.RemoteName"/>), retransmits it
/// every restart period up to Max-Configure times, and ends on Ack or Nak.
/// </summary>
internal sealed class PapPeer(PppOptions options, IAuthenticationHost host) : AuthenticationProtocol(options, host)
{
    private byte[] _request = [];
    private byte _identifier;
    private int _sent;

    public override ushort Protocol => PppProtocol.Pap;

    public override PppAuthMethod Method => PppAuthMethod.Pap;

    public override void Start(TimeSpan now)
    {
        if (Options.Credentials is null || !Options.Credentials.TryGetCredential(Options.Name, Options.RemoteName, out var credential))
        {
            Fail(Options.Name, "no credential for PAP", now);
            return;
        }
        _identifier = RandomByte();
        var buffer = new byte[4 + 2 + 255 + 255];
        var length = PapPacket.WriteRequest(buffer, _identifier, Encoding.UTF8.GetBytes(Options.Name), Encoding.UTF8.GetBytes(credential.Secret));
        if (length == 0)
        {
            Fail(Options.Name, "name or secret longer than 255 octets", now);
            return;
        }
        _request = buffer[..length];
        Transmit(now);
    }

    public override void Receive(ReadOnlySpan<byte> information, TimeSpan now)
    {
        if (Finished || PapPacket.Parse(information, out var packet) != PapStatus.Ok || packet.Identifier != _identifier)
        {
            Host.Counters.AuthenticationDiscarded++;
            return;
        }
        switch (packet.Code)
        {
            case PapCode.AuthenticateAck:
                Succeed(Options.Name, null, now);
                break;
            case PapCode.AuthenticateNak:
                Fail(Options.Name, "rejected by the authenticator", now);
                break;
            default:
                Host.Counters.AuthenticationDiscarded++;
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
            Fail(Options.Name, "no answer to Authenticate-Request", now);
            return;
        }
        Transmit(now);
    }

    private void Transmit(TimeSpan now)
    {
        _sent++;
        Host.SendAuthentication(Protocol, _request);
        Deadline = now + Options.RestartTimer;
    }
}
