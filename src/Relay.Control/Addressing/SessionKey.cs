namespace Relay.Control.Addressing;

/// <summary>
/// Names one PPP session on the LNS: relayd's own (local) L2TP tunnel id and session id, as in
/// <c>SessionEstablished.TunnelId</c> / <c>SessionId</c>. Both are non-zero for a real session
/// (RFC 2661 §3.1: id 0 is never assigned), so <c>default</c> means "no session".
/// </summary>
public readonly struct SessionKey : IEquatable<SessionKey>
{
    private readonly uint _value;

    public SessionKey(ushort tunnelId, ushort sessionId) => _value = (uint)tunnelId << 16 | sessionId;

    public ushort TunnelId => (ushort)(_value >> 16);

    public ushort SessionId => (ushort)_value;

    /// <summary>True when both ids are non-zero, the only keys a lease accepts.</summary>
    public bool IsValid => TunnelId != 0 && SessionId != 0;

    internal bool IsNone => _value == 0;

    public bool Equals(SessionKey other) => _value == other._value;

    public override bool Equals(object? obj) => obj is SessionKey other && Equals(other);

    public override int GetHashCode() => (int)_value;

    public static bool operator ==(SessionKey left, SessionKey right) => left._value == right._value;

    public static bool operator !=(SessionKey left, SessionKey right) => left._value != right._value;

    public override string ToString() => $"tunnel {TunnelId} session {SessionId}";
}
