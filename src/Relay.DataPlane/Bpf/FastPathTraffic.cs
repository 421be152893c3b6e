namespace Relay.DataPlane.Bpf;

/// <summary>
/// What the kernel program did for one session, summed over CPUs: received (and then forwarded
/// or dropped) and sent into it. Bytes count the L2TP message, as <see cref="Forwarding.SessionTraffic"/> does.
/// </summary>
public readonly record struct FastPathTraffic(long ReceivedPackets, long ReceivedBytes, long SentPackets, long SentBytes, long Drops);
