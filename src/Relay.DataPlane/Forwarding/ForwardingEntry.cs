using Relay.Control.Addressing;
using Relay.DataPlane.Sockets;

namespace Relay.DataPlane.Forwarding;

/// <summary>
/// One session as the workers see it: immutable, replaced (not edited) when the session
/// changes. <see cref="Traffic"/> is the only mutable part and is carried over to the
/// replacement, so counters and Ns survive a republish.
/// </summary>
public sealed class ForwardingEntry
{
    internal ForwardingEntry(SessionKey key, UdpPeer peer, ushort peerTunnelId, ushort peerSessionId,
        bool dataSequencing, uint leasedAddress, SessionTraffic traffic)
    {
        Key = key;
        PackedKey = (uint)key.TunnelId << 16 | key.SessionId;
        Peer = peer;
        PeerTunnelId = peerTunnelId;
        PeerSessionId = peerSessionId;
        DataSequencing = dataSequencing;
        LeasedAddress = leasedAddress;
        Traffic = traffic;
    }

    /// <summary>Relayd's own (local) tunnel and session ids: what arriving data messages carry.</summary>
    public SessionKey Key { get; }

    internal uint PackedKey { get; }

    /// <summary>The tunnel's peer: the only source accepted for this session, and where forwarded packets go.</summary>
    public UdpPeer Peer { get; }

    public ushort PeerTunnelId { get; }

    public ushort PeerSessionId { get; }

    /// <summary>The peer asked for Ns on data messages (RFC 2661 §5.4, Sequencing Required / S set).</summary>
    public bool DataSequencing { get; }

    /// <summary>The address IPCP gave the peer, host order; 0 while the session is not ready.</summary>
    public uint LeasedAddress { get; }

    /// <summary>PPP and IPCP are up: IPv4 may flow. Before that only PPP control frames pass (to the control loop).</summary>
    public bool IsReady => LeasedAddress != 0;

    public SessionTraffic Traffic { get; }
}
