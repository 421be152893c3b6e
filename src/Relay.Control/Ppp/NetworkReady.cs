using System.Net;

namespace Relay.Control.Ppp;

/// <summary>
/// IPCP is Opened: the session is ready for the data plane. <paramref name="Mru"/> is the
/// smaller of the two negotiated MRUs, the largest PPP Information field either side sends.
/// </summary>
public sealed record NetworkReady(IPAddress LocalAddress, IPAddress PeerAddress, int Mru, IReadOnlyList<IPAddress> Dns) : PppEvent;
