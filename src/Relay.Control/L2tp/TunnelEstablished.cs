using System.Net;

namespace Relay.Control.L2tp;

public sealed record TunnelEstablished(ushort TunnelId, ushort PeerTunnelId, IPEndPoint Peer, string? PeerHostName) : L2tpEvent;
