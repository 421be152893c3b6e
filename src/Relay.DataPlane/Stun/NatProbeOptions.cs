using System.Net;

namespace Relay.DataPlane.Stun;

/// <summary>Where and how <see cref="NatProbe.Run"/> probes.</summary>
public sealed record NatProbeOptions
{
    /// <summary>The relay's STUN service (relayd <c>listen.stun</c>, UDP 3478 by default).</summary>
    public required IPEndPoint Server { get; init; }

    /// <summary>The IKE source ports whose mapping matters (RFC 7296 §2.23: 500, then 4500 after NAT-T detection).</summary>
    public IReadOnlyList<int> IkePorts { get; init; } = [4500, 500];

    /// <summary>
    /// The port the L2TP tunnel would use (1701, RFC 2661 §8.1), probed too: an answer here but none on the
    /// IKE ports means a firewall lets L2TP through but not IKE, so the tunnel is needed. 0 leaves it out.
    /// </summary>
    public int ControlPort { get; init; } = 1701;

    /// <summary>Local address to send from; null lets the kernel choose by route.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>How long to wait for answers in all; requests are retransmitted within it (RFC 5389 §7.2.1, shortened).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First retransmission interval, doubled after each (RFC 5389 §7.2.1 RTO, default 500 ms there).</summary>
    public TimeSpan InitialRetransmit { get; init; } = TimeSpan.FromMilliseconds(250);
}
