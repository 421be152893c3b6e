namespace Relay.Server.Api;

/// <summary>One L2TP tunnel (control connection) as <c>GET /v1/tunnels</c> shows it.</summary>
internal sealed record TunnelView(
    ushort Id,
    string Peer,
    ushort PeerTunnelId,
    string? PeerHostName,
    string State,
    int Sessions,
    long UptimeSeconds);
