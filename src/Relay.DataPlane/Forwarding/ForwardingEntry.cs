using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using Relay.Control.Addressing;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;
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
        HeaderWithLength = HeaderTemplate(withLength: true);
        HeaderWithoutLength = HeaderTemplate(withLength: false);
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

    /// <summary>
    /// The 16 octets that end where the inner IPv4 packet starts, for a header with the L bit:
    /// padding, flags, length 0, the peer's tunnel and session ids, Ns/Nr 0 when sequenced, FF 03 00 21.
    /// The forwarder fills in what changes per packet (length, Ns, P) and stores it with one vector write.
    /// </summary>
    internal Vector128<byte> HeaderWithLength { get; }

    /// <summary>As <see cref="HeaderWithLength"/>, without the L bit and length field.</summary>
    internal Vector128<byte> HeaderWithoutLength { get; }

    private Vector128<byte> HeaderTemplate(bool withLength)
    {
        Span<byte> block = stackalloc byte[16];
        block.Clear();
        var headerLength = 6 + (withLength ? 2 : 0) + (DataSequencing ? 4 : 0);
        var position = 16 - headerLength - 4;
        var flags = L2tpHeader.Version
            | (withLength ? (int)L2tpHeaderFlags.Length : 0)
            | (DataSequencing ? (int)L2tpHeaderFlags.Sequence : 0);
        BinaryPrimitives.WriteUInt16BigEndian(block[position..], (ushort)flags);
        position += withLength ? 4 : 2;
        BinaryPrimitives.WriteUInt16BigEndian(block[position..], PeerTunnelId);
        BinaryPrimitives.WriteUInt16BigEndian(block[(position + 2)..], PeerSessionId);
        position += DataSequencing ? 8 : 4;
        BinaryPrimitives.WriteUInt16BigEndian(block[position..], 0xFF03);
        BinaryPrimitives.WriteUInt16BigEndian(block[(position + 2)..], PppProtocol.Ipv4);
        return Vector128.Create<byte>(block);
    }
}
