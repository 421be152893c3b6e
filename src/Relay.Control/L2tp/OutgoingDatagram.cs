using System.Net;

namespace Relay.Control.L2tp;

/// <summary>One UDP payload the engine wants sent.</summary>
public readonly record struct OutgoingDatagram(IPEndPoint Destination, byte[] Payload);
