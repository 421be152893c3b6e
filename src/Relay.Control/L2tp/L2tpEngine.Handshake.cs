using System.Buffers.Binary;
using System.Net;
using Relay.Wire.L2tp;

namespace Relay.Control.L2tp;

public sealed partial class L2tpEngine
{
    private const int ChallengeLength = 16;

    /// <summary>Opens a control connection to <paramref name="peer"/> (sends SCCRQ). Returns our tunnel id.</summary>
    public ushort OpenTunnel(IPEndPoint peer, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var tunnel = new Tunnel(AllocateTunnelId(), peer, TunnelState.WaitControlReply, initiator: true, NewChannel(null), now)
        {
            Secret = _options.SecretFor(null),
        };
        if (tunnel.Secret is not null)
        {
            tunnel.OurChallenge = RandomBytes(ChallengeLength);
        }
        if (_options.SendTieBreaker)
        {
            tunnel.TieBreaker = BinaryPrimitives.ReadUInt64BigEndian(RandomBytes(8));
        }
        _tunnels.Add(tunnel.LocalId, tunnel);
        tunnel.Channel.Enqueue(_encoder.Sccrq(tunnel.LocalId, tunnel.OurChallenge, tunnel.TieBreaker));
        Flush(tunnel, now);
        return tunnel.LocalId;
    }

    private void ReceiveSccrq(IPEndPoint from, ReadOnlySpan<byte> datagram, in L2tpControlMessage wire, TimeSpan now)
    {
        var decoded = ControlMessageDecoder.Decode(wire, _options.SecretFor(null));
        var sccrq = decoded.Message;
        if (sccrq?.AssignedTunnelId is not { } peerTunnelId || peerTunnelId == 0)
        {
            // Without the peer's tunnel id there is nowhere to send even a StopCCN.
            Counters.BadAvpValues++;
            return;
        }
        if (_byPeerTunnel.TryGetValue((from, peerTunnelId), out var existing))
        {
            // A retransmitted SCCRQ (our SCCRP was lost or is late): the transport acknowledges it.
            Deliver(existing, wire.Header.Ns, wire.Header.Nr, false, datagram.ToArray(), now);
            return;
        }
        if (!_rateLimiter.TryAcquire(from.Address, now))
        {
            Counters.RateLimited++;
            return;
        }
        if (!decoded.Ok)
        {
            RefuseSccrq(from, peerTunnelId, ResultCodes.StopGeneralError, ResultCodes.ErrorFieldOutOfRange, $"bad {decoded.FaultyAvp} AVP: {decoded.Status}");
            return;
        }
        if (sccrq.UnknownMandatoryAttribute is { } unknown)
        {
            Counters.UnknownMandatoryAvps++;
            RefuseSccrq(from, peerTunnelId, ResultCodes.StopGeneralError, ResultCodes.ErrorUnknownMandatoryAvp, $"unknown mandatory AVP {sccrq.UnknownMandatoryVendor}:{unknown}");
            return;
        }
        if (!ResolveTieBreaker(from, sccrq, now))
        {
            return;
        }
        if (sccrq.ProtocolVersion != 1 || sccrq.ProtocolRevision != 0)
        {
            RefuseSccrq(from, peerTunnelId, ResultCodes.StopUnsupportedVersion, null, "protocol version 1.0 only");
            return;
        }
        var missing = sccrq.HostName is null ? "Host Name" : sccrq.FramingCapabilities is null ? "Framing Capabilities" : null;
        if (missing is not null)
        {
            RefuseSccrq(from, peerTunnelId, ResultCodes.StopGeneralError, ResultCodes.ErrorFieldOutOfRange, $"SCCRQ without {missing} AVP");
            return;
        }
        if (_tunnels.Count >= _options.MaxTunnels)
        {
            RefuseSccrq(from, peerTunnelId, ResultCodes.StopGeneralError, ResultCodes.ErrorInsufficientResources, "tunnel limit reached");
            return;
        }
        var secret = _options.SecretFor(sccrq.HostName);
        if (sccrq.Challenge is not null && secret is null)
        {
            Counters.AuthenticationFailures++;
            RefuseSccrq(from, peerTunnelId, ResultCodes.StopNotAuthorized, null, "no shared secret for this host");
            return;
        }
        var tunnel = new Tunnel(AllocateTunnelId(), from, TunnelState.WaitControlConnected, initiator: false, NewChannel(sccrq.ReceiveWindowSize), now)
        {
            PeerId = peerTunnelId,
            PeerHostName = sccrq.HostName,
            Secret = secret,
        };
        tunnel.Channel.PeerTunnelId = peerTunnelId;
        if (secret is not null)
        {
            tunnel.OurChallenge = RandomBytes(ChallengeLength);
        }
        _tunnels.Add(tunnel.LocalId, tunnel);
        _byPeerTunnel[(from, peerTunnelId)] = tunnel;
        // The SCCRQ takes Ns 0 of the peer's sequence space: let the transport account for it.
        tunnel.Channel.Receive(wire.Header.Ns, wire.Header.Nr, false, datagram.ToArray(), now);
        while (tunnel.Channel.TryTakeDelivered(out _))
        {
        }
        var response = sccrq.Challenge is null ? null : TunnelAuthentication.ComputeResponse((byte)L2tpMessageType.Sccrp, secret, sccrq.Challenge);
        tunnel.Channel.Enqueue(_encoder.Sccrp(peerTunnelId, tunnel.LocalId, tunnel.OurChallenge, response, secret));
        Flush(tunnel, now);
    }

    /// <summary>
    /// §4.4.3: an SCCRQ arriving while ours to the same peer is outstanding. Lower Tie Breaker
    /// wins; the loser silently discards its tunnel; equal values discard both; a side that sent
    /// one beats a side that did not; neither: two tunnels. Returns whether to accept the SCCRQ.
    /// </summary>
    private bool ResolveTieBreaker(IPEndPoint from, ControlMessage sccrq, TimeSpan now)
    {
        Tunnel? ours = null;
        foreach (var t in _tunnels.Values)
        {
            if (t.IsInitiator && t.State == TunnelState.WaitControlReply && t.Peer.Address.Equals(from.Address))
            {
                ours = t;
                break;
            }
        }
        if (ours is null || (ours.TieBreaker is null && sccrq.TieBreaker is null))
        {
            return true;
        }
        var weWin = ours.TieBreaker is { } mine && (sccrq.TieBreaker is not { } theirs || mine < theirs);
        var tie = ours.TieBreaker is not null && ours.TieBreaker == sccrq.TieBreaker;
        if (weWin)
        {
            Counters.TieBreakersWon++;
            return false;
        }
        Counters.TieBreakersLost++;
        Close(ours, TunnelCloseReason.LostTieBreaker, null, null, "lost tie breaker", now, sendStop: false);
        return !tie;
    }

    /// <summary>
    /// Refuses an SCCRQ without keeping any state (so refusals cannot fill a table): one StopCCN
    /// acknowledging the SCCRQ. If it is lost the peer retransmits and is refused again.
    /// </summary>
    private void RefuseSccrq(IPEndPoint from, ushort peerTunnelId, ushort result, ushort? error, string message)
    {
        Counters.TunnelsRefused++;
        // Assigned Tunnel ID must be non-zero; an id we never allocate serves, since no tunnel
        // follows a StopCCN.
        var stop = _encoder.StopCcn(peerTunnelId, AllocateTunnelId(), result, error, message, null);
        BinaryPrimitives.WriteUInt16BigEndian(stop.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(stop.AsSpan(10), 1);
        Outbox.Add(new OutgoingDatagram(from, stop));
    }

    private void Handle(Tunnel tunnel, byte[] raw, TimeSpan now)
    {
        var status = L2tpControlMessage.TryParse(raw, out var wire);
        if (status != L2tpParseStatus.Ok)
        {
            Counters.Malformed[(int)status]++;
            return;
        }
        var decoded = ControlMessageDecoder.Decode(wire, tunnel.Secret);
        var message = decoded.Message!;
        var isSessionMessage = message.Type is L2tpMessageType.Icrq or L2tpMessageType.Icrp or L2tpMessageType.Iccn
            or L2tpMessageType.Cdn or L2tpMessageType.Ocrq or L2tpMessageType.Ocrp or L2tpMessageType.Occn
            or L2tpMessageType.Wen or L2tpMessageType.Sli;
        if (!L2tpControlMessage.IsKnown(message.Type))
        {
            // §4.4.1 / §4.1: an unknown message type with M=1 clears the tunnel; with M=0 it is ignored.
            if (message.IsTypeMandatory)
            {
                Counters.UnknownMandatoryAvps++;
                Close(tunnel, TunnelCloseReason.Local, ResultCodes.StopGeneralError, ResultCodes.ErrorUnknownMandatoryAvp, $"unknown message type {(ushort)message.Type}", now);
            }
            return;
        }
        if (!decoded.Ok || message.UnknownMandatoryAttribute is not null)
        {
            var unknown = message.UnknownMandatoryAttribute is { } type;
            var error = unknown ? ResultCodes.ErrorUnknownMandatoryAvp : ResultCodes.ErrorFieldOutOfRange;
            var text = unknown ? $"unknown mandatory AVP {message.UnknownMandatoryVendor}:{message.UnknownMandatoryAttribute}" : $"bad {decoded.FaultyAvp} AVP: {decoded.Status}";
            if (unknown)
            {
                Counters.UnknownMandatoryAvps++;
            }
            else
            {
                Counters.BadAvpValues++;
            }
            // §4.1: a session's message tears down the session; a tunnel's, the tunnel. A CDN
            // ends its session whatever else is wrong with it.
            if (message.Type == L2tpMessageType.Cdn && tunnel.State == TunnelState.Established)
            {
                ReceiveCdn(tunnel, message);
            }
            else if (isSessionMessage && tunnel.State == TunnelState.Established)
            {
                FailSessionMessage(tunnel, message, error, text, now);
            }
            else
            {
                Close(tunnel, TunnelCloseReason.Local, ResultCodes.StopGeneralError, error, text, now);
            }
            return;
        }
        if (isSessionMessage && tunnel.State != TunnelState.Established)
        {
            FsmError(tunnel, message, now);
            return;
        }
        switch (message.Type)
        {
            case L2tpMessageType.Sccrp:
                ReceiveSccrp(tunnel, message, now);
                break;
            case L2tpMessageType.Scccn:
                ReceiveScccn(tunnel, message, now);
                break;
            case L2tpMessageType.StopCcn:
                ReceiveStopCcn(tunnel, message, now);
                break;
            case L2tpMessageType.Hello:
                break;
            case L2tpMessageType.Sccrq:
                FsmError(tunnel, message, now);
                break;
            default:
                HandleSessionMessage(tunnel, message, now);
                break;
        }
    }

    private void ReceiveSccrp(Tunnel tunnel, ControlMessage sccrp, TimeSpan now)
    {
        if (tunnel.State != TunnelState.WaitControlReply)
        {
            FsmError(tunnel, sccrp, now);
            return;
        }
        if (sccrp.AssignedTunnelId is not { } peerTunnelId || peerTunnelId == 0)
        {
            Close(tunnel, TunnelCloseReason.Local, ResultCodes.StopGeneralError, ResultCodes.ErrorFieldOutOfRange, "SCCRP without Assigned Tunnel ID", now);
            return;
        }
        tunnel.PeerId = peerTunnelId;
        tunnel.PeerHostName = sccrp.HostName;
        tunnel.Channel.PeerTunnelId = peerTunnelId;
        _byPeerTunnel[(tunnel.Peer, peerTunnelId)] = tunnel;
        if (sccrp.ReceiveWindowSize is > 0)
        {
            tunnel.Channel.SetPeerReceiveWindow(sccrp.ReceiveWindowSize.Value);
        }
        tunnel.Secret = _options.SecretFor(sccrp.HostName) ?? tunnel.Secret;
        if (sccrp.ProtocolVersion != 1 || sccrp.ProtocolRevision != 0)
        {
            Close(tunnel, TunnelCloseReason.Local, ResultCodes.StopUnsupportedVersion, null, "protocol version 1.0 only", now);
            return;
        }
        if (!Authenticated(tunnel, sccrp, L2tpMessageType.Sccrp, now))
        {
            return;
        }
        if (sccrp.Challenge is not null && tunnel.Secret is null)
        {
            Counters.AuthenticationFailures++;
            Close(tunnel, TunnelCloseReason.Local, ResultCodes.StopNotAuthorized, null, "challenged without a shared secret", now);
            return;
        }
        var response = sccrp.Challenge is null ? null : TunnelAuthentication.ComputeResponse((byte)L2tpMessageType.Scccn, tunnel.Secret, sccrp.Challenge);
        tunnel.Channel.Enqueue(_encoder.Scccn(peerTunnelId, response, tunnel.Secret));
        Establish(tunnel);
    }

    private void ReceiveScccn(Tunnel tunnel, ControlMessage scccn, TimeSpan now)
    {
        if (tunnel.State != TunnelState.WaitControlConnected)
        {
            FsmError(tunnel, scccn, now);
            return;
        }
        if (Authenticated(tunnel, scccn, L2tpMessageType.Scccn, now))
        {
            Establish(tunnel);
        }
    }

    /// <summary>§5.1.1: if we challenged, the response must match, else the tunnel is refused (StopCCN 4).</summary>
    private bool Authenticated(Tunnel tunnel, ControlMessage message, L2tpMessageType carrier, TimeSpan now)
    {
        if (tunnel.OurChallenge is null)
        {
            return true;
        }
        if (message.ChallengeResponse is { } response
            && tunnel.Secret is { } secret
            && TunnelAuthentication.Verify((byte)carrier, secret, tunnel.OurChallenge, response))
        {
            return true;
        }
        Counters.AuthenticationFailures++;
        Close(tunnel, TunnelCloseReason.Local, ResultCodes.StopNotAuthorized, null,
            message.ChallengeResponse is null ? "no Challenge Response" : "Challenge Response does not match", now);
        return false;
    }

    private void Establish(Tunnel tunnel)
    {
        tunnel.State = TunnelState.Established;
        tunnel.OurChallenge = null;
        Counters.TunnelsEstablished++;
        Events.Enqueue(new TunnelEstablished(tunnel.LocalId, tunnel.PeerId, tunnel.Peer, tunnel.PeerHostName));
    }

    private void FsmError(Tunnel tunnel, ControlMessage message, TimeSpan now)
    {
        Counters.FsmErrors++;
        Close(tunnel, TunnelCloseReason.Local, ResultCodes.StopFsmError, null, $"{message.Type} in state {tunnel.State}", now);
    }
}
