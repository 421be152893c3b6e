using System.Net;
using Relay.Control.Addressing;

namespace Relay.Control.Sessions;

/// <summary>A session is gone (either side, any reason); its lease, if any, is released.</summary>
public sealed record SessionEnded(SessionKey Key, string Reason, IPAddress? Address, bool WasReady) : SessionEvent;
