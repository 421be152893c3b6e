using System.Net;
using Relay.Control.Addressing;

namespace Relay.Control.Sessions;

/// <summary>
/// A session is established at the L2TP level, PPP is open and authenticated, and an address is
/// leased: everything the data plane's forwarding entry needs, in one event.
/// </summary>
public sealed record SessionReady(
    SessionKey Key,
    IPEndPoint Peer,
    ushort PeerTunnelId,
    ushort PeerSessionId,
    bool DataSequencing,
    IPAddress LocalAddress,
    IPAddress PeerAddress,
    int Mru,
    IReadOnlyList<IPAddress> Dns,
    string? User) : SessionEvent;
