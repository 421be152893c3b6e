using Relay.Control.Addressing;

namespace Relay.Control.Sessions;

/// <summary>A log-worthy step of a session that changes nothing for the data plane (tunnel up, auth failure...).</summary>
public sealed record SessionNotice(SessionKey Key, string Message) : SessionEvent;
