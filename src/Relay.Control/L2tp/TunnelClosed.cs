namespace Relay.Control.L2tp;

public sealed record TunnelClosed(ushort TunnelId, TunnelCloseReason Reason, ushort? ResultCode, ushort? ErrorCode, string? Message) : L2tpEvent;
