namespace Relay.Control.L2tp;

public sealed record SessionClosed(ushort TunnelId, ushort SessionId, bool ByPeer, ushort? ResultCode, ushort? ErrorCode, string? Message) : L2tpEvent;
