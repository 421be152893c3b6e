namespace Relay.Server.Api;

/// <summary>
/// One L2TP session and its PPP link as <c>GET /v1/sessions</c> shows it. <see cref="Id"/> is
/// "tunnel:session" in relayd's own ids; <see cref="Traffic"/> is null while no data plane forwards.
/// </summary>
internal sealed record SessionView(
    string Id,
    ushort TunnelId,
    ushort SessionId,
    ushort PeerTunnelId,
    ushort PeerSessionId,
    string Peer,
    string? User,
    string? Address,
    string? Pool,
    string State,
    string Ppp,
    bool Ready,
    long UptimeSeconds,
    TrafficView? Traffic);
