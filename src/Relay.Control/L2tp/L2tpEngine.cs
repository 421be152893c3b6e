using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Relay.Control.L2tp.Transport;
using Relay.Wire.L2tp;

namespace Relay.Control.L2tp;

/// <summary>
/// The L2TP control plane of RFC 2661 as a sans-I/O engine, for the LNS (relayd) and the LAC
/// (relay-client) alike: it takes control datagrams with the time they arrived, and the time
/// on <see cref="Tick"/>; what it wants sent accumulates in <see cref="Outbox"/> and what
/// happened in <see cref="Events"/>. It owns no socket, clock, timer or thread: one control
/// loop drives it.
/// </summary>
public sealed partial class L2tpEngine
{
    private L2tpOptions _options;
    private readonly Random? _random;
    private ControlMessageEncoder _encoder;
    private readonly Dictionary<ushort, Tunnel> _tunnels = new();
    private readonly Dictionary<(IPEndPoint Peer, ushort PeerTunnelId), Tunnel> _byPeerTunnel = new();
    private readonly PriorityQueue<Tunnel, TimeSpan> _timers = new();
    private SccrqRateLimiter _rateLimiter;
    private readonly List<byte[]> _polled = new();
    private int _sessionCount;
    private uint _callSerial;

    /// <param name="options">Roles, limits, secrets, timers.</param>
    /// <param name="random">A seeded generator for reproducible tests; null = cryptographic randomness.</param>
    public L2tpEngine(L2tpOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _random = random;
        _encoder = new ControlMessageEncoder(options, FillRandom);
        _rateLimiter = new SccrqRateLimiter(options.SccrqPerSecondPerSource);
        _callSerial = (uint)NextRandomUInt16();
    }

    /// <summary>Datagrams to send, in order. The caller drains it after every call.</summary>
    public List<OutgoingDatagram> Outbox { get; } = new();

    /// <summary>What happened, in order. The caller drains it after every call.</summary>
    public Queue<L2tpEvent> Events { get; } = new();

    public L2tpCounters Counters { get; } = new();

    public IReadOnlyDictionary<ushort, Tunnel> Tunnels => _tunnels;

    public int SessionCount => _sessionCount;

    /// <summary>Takes one control datagram (T bit set) from <paramref name="from"/>.</summary>
    public void Receive(IPEndPoint from, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(from);
        var status = L2tpControlMessage.TryParse(datagram, out var wire);
        if (status != L2tpParseStatus.Ok)
        {
            Counters.Malformed[(int)status]++;
            return;
        }
        Tunnel? tunnel;
        if (wire.Header.TunnelId == 0)
        {
            if (wire.MessageType == L2tpMessageType.Sccrq)
            {
                ReceiveSccrq(from, datagram, wire, now);
                return;
            }
            // Interop: some peers close with tunnel id 0 in the header; their StopCCN still
            // names their own tunnel in Assigned Tunnel ID, which finds ours.
            tunnel = wire.MessageType == L2tpMessageType.StopCcn ? FindByAssignedTunnelId(from, wire) : null;
            if (tunnel is null)
            {
                Counters.UnknownTunnel++;
                return;
            }
        }
        else if (!_tunnels.TryGetValue(wire.Header.TunnelId, out tunnel))
        {
            Counters.UnknownTunnel++;
            return;
        }
        if (!tunnel.Peer.Equals(from))
        {
            // RFC 2661 §8.1: the responder may answer from another port; the initiator follows.
            if (tunnel.State == TunnelState.WaitControlReply && tunnel.Peer.Address.Equals(from.Address))
            {
                tunnel.Peer = from;
            }
            else
            {
                Counters.WrongPeer++;
                return;
            }
        }
        Deliver(tunnel, wire.Header.Ns, wire.Header.Nr, wire.IsZeroLengthBody, datagram.ToArray(), now);
    }

    /// <summary>Runs every timer due at <paramref name="now"/>.</summary>
    public void Tick(TimeSpan now)
    {
        while (_timers.TryPeek(out var tunnel, out var at) && at <= now)
        {
            _timers.Dequeue();
            if (tunnel.Removed || tunnel.ScheduledWake != at)
            {
                continue;
            }
            tunnel.ScheduledWake = null;
            RunTimers(tunnel, now);
        }
    }

    /// <summary>When <see cref="Tick"/> must next run, or null when no timer is pending.</summary>
    public TimeSpan? NextDeadline()
    {
        while (_timers.TryPeek(out var tunnel, out var at))
        {
            if (!tunnel.Removed && tunnel.ScheduledWake == at)
            {
                return at;
            }
            _timers.Dequeue();
        }
        return null;
    }

    private void Deliver(Tunnel tunnel, ushort ns, ushort nr, bool zeroLength, byte[] message, TimeSpan now)
    {
        tunnel.LastHeard = now;
        switch (tunnel.Channel.Receive(ns, nr, zeroLength, message, now))
        {
            case ReceiveOutcome.Duplicate:
                Counters.Duplicates++;
                break;
            case ReceiveOutcome.OutOfWindow:
                Counters.OutOfWindow++;
                break;
        }
        while (!tunnel.Removed && tunnel.Channel.TryTakeDelivered(out var delivered))
        {
            if (tunnel.State == TunnelState.Closing)
            {
                // After StopCCN only the transport runs: acknowledge, act on nothing (§5.7).
                continue;
            }
            Handle(tunnel, delivered, now);
        }
        Flush(tunnel, now);
    }

    private void RunTimers(Tunnel tunnel, TimeSpan now)
    {
        if (tunnel.LingerUntil is { } linger && now >= linger)
        {
            Remove(tunnel);
            return;
        }
        Flush(tunnel, now);
        if (tunnel.Removed)
        {
            return;
        }
        if (tunnel.State is TunnelState.WaitControlReply or TunnelState.WaitControlConnected
            && now - tunnel.CreatedAt >= _options.Reliability.GiveUpAfter)
        {
            // The peer acknowledged our last handshake message but never sent the next one.
            Close(tunnel, TunnelCloseReason.HandshakeTimeout, ResultCodes.StopGeneralError, ResultCodes.ErrorNone, "handshake timed out", now, sendStop: false);
            return;
        }
        if (tunnel.State == TunnelState.Established)
        {
            ExpireSessionHandshakes(tunnel, now);
            if (now - tunnel.LastHeard >= _options.HelloInterval && tunnel.Channel.IsIdle)
            {
                // §6.5: keepalive after a period with nothing from the peer; its retransmission
                // failing clears the tunnel through the transport.
                tunnel.Channel.Enqueue(_encoder.Hello(tunnel.PeerId));
                tunnel.LastHeard = now;
                Counters.HellosSent++;
            }
        }
        Flush(tunnel, now);
    }

    /// <summary>Sends what the tunnel's transport wants sent, handles its failure, and re-arms its timer.</summary>
    private void Flush(Tunnel tunnel, TimeSpan now)
    {
        if (tunnel.Removed)
        {
            return;
        }
        _polled.Clear();
        tunnel.Channel.Poll(now, _polled);
        foreach (var datagram in _polled)
        {
            Outbox.Add(new OutgoingDatagram(tunnel.Peer, datagram));
        }
        if (tunnel.Channel.Failed)
        {
            if (tunnel.State == TunnelState.Closing)
            {
                Remove(tunnel);
                return;
            }
            Close(tunnel, TunnelCloseReason.Timeout, null, null, "no acknowledgement from peer", now, sendStop: false);
            return;
        }
        Schedule(tunnel, now);
    }

    private void Schedule(Tunnel tunnel, TimeSpan now)
    {
        var next = tunnel.Channel.NextDeadline(now);
        void Earliest(TimeSpan t)
        {
            if (next is null || t < next)
            {
                next = t;
            }
        }
        if (tunnel.LingerUntil is { } linger)
        {
            Earliest(linger);
        }
        switch (tunnel.State)
        {
            case TunnelState.WaitControlReply or TunnelState.WaitControlConnected:
                Earliest(tunnel.CreatedAt + _options.Reliability.GiveUpAfter);
                break;
            case TunnelState.Established:
                if (tunnel.Channel.IsIdle)
                {
                    // While messages are in flight their retransmissions are the keepalive.
                    Earliest(tunnel.LastHeard + _options.HelloInterval);
                }
                foreach (var session in tunnel.SessionTable.Values)
                {
                    if (session.State != SessionState.Established)
                    {
                        Earliest(session.CreatedAt + _options.Reliability.GiveUpAfter);
                    }
                }
                break;
        }
        if (next is { } due && due <= now)
        {
            // Everything due now has just run: never re-arm in the past, or Tick would spin.
            next = now + TimeSpan.FromMilliseconds(1);
        }
        if (next is { } at && tunnel.ScheduledWake != at)
        {
            tunnel.ScheduledWake = at;
            _timers.Enqueue(tunnel, at);
        }
    }

    private Tunnel? FindByAssignedTunnelId(IPEndPoint from, in L2tpControlMessage wire)
    {
        var decoded = ControlMessageDecoder.Decode(wire, default);
        return decoded.Message?.AssignedTunnelId is { } peerTunnelId && _byPeerTunnel.TryGetValue((from, peerTunnelId), out var tunnel)
            ? tunnel
            : null;
    }

    private ushort AllocateTunnelId()
    {
        while (true)
        {
            var id = NextRandomUInt16();
            if (id != 0 && !_tunnels.ContainsKey(id))
            {
                return id;
            }
        }
    }

    private static ushort AllocateSessionId(Tunnel tunnel, Func<ushort> next)
    {
        while (true)
        {
            var id = next();
            if (id != 0 && !tunnel.SessionTable.ContainsKey(id))
            {
                return id;
            }
        }
    }

    private ushort NextRandomUInt16()
    {
        Span<byte> two = stackalloc byte[2];
        FillRandom(two);
        return BinaryPrimitives.ReadUInt16BigEndian(two);
    }

    private void FillRandom(Span<byte> destination)
    {
        if (_random is null)
        {
            RandomNumberGenerator.Fill(destination);
        }
        else
        {
            _random.NextBytes(destination);
        }
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        FillRandom(bytes);
        return bytes;
    }

    private ControlChannel NewChannel(ushort? peerWindow)
    {
        var channel = new ControlChannel(_options.Reliability);
        if (peerWindow is > 0)
        {
            channel.SetPeerReceiveWindow(peerWindow.Value);
        }
        return channel;
    }
}
