namespace Relay.Server.Api;

/// <summary><c>GET /v1/status</c>: what relayd is, how long it has run, and how much it carries.</summary>
internal sealed record StatusResponse(
    string Version,
    int Pid,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    int Workers,
    bool DataPlane,
    int Tunnels,
    int TunnelsEstablished,
    int Sessions,
    int SessionsReady,
    int Leases,
    int Pools,
    string? ConfigFile,
    string ConfigDigest,
    ReloadView? LastReload);
