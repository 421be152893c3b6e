using System.Net;

namespace Relay.Control.L2tp;

/// <summary>A session reached "established" (ICCN sent or received): PPP may start on it.</summary>
public sealed record SessionEstablished(
    ushort TunnelId, ushort SessionId, ushort PeerTunnelId, ushort PeerSessionId, IPEndPoint Peer, bool DataSequencing) : L2tpEvent;
