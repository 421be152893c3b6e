using Relay.Control.Ppp;

namespace Relay.Control.Sessions;

/// <summary>The PPP side of one LNS session as the control API shows it.</summary>
public readonly record struct LnsSessionInfo(string? User, uint? Address, bool Ready, PppPhase Phase);
