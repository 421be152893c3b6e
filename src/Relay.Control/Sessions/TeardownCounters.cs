using Relay.Control.L2tp;

namespace Relay.Control.Sessions;

/// <summary>
/// Tunnels and sessions that ended, keyed by how they ended and the Result Code AVP value
/// (RFC 2661 §4.4.2; 0 when none was carried, e.g. a timeout). Control loop only.
/// </summary>
public sealed class TeardownCounters
{
    private readonly Dictionary<(TunnelCloseReason Reason, ushort Result), long> _tunnels = [];
    private readonly Dictionary<(bool ByPeer, ushort Result), long> _sessions = [];

    public IReadOnlyDictionary<(TunnelCloseReason Reason, ushort Result), long> Tunnels => _tunnels;

    public IReadOnlyDictionary<(bool ByPeer, ushort Result), long> Sessions => _sessions;

    internal void Count(TunnelClosed closed)
    {
        var key = (closed.Reason, closed.ResultCode ?? 0);
        _tunnels[key] = _tunnels.GetValueOrDefault(key) + 1;
    }

    internal void Count(SessionClosed closed)
    {
        var key = (closed.ByPeer, closed.ResultCode ?? 0);
        _sessions[key] = _sessions.GetValueOrDefault(key) + 1;
    }
}
