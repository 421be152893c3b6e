namespace Relay.DataPlane.Forwarding;

/// <summary>What a worker does with one packet after <see cref="Forwarder"/> looked at it.</summary>
public enum ForwardVerdict : byte
{
    /// <summary>Count it under <see cref="ForwardResult.Reason"/> and let it go.</summary>
    Drop = 0,

    /// <summary>An L2TP control message, or a PPP control frame (LCP, authentication, NCPs): queue the whole datagram to the control loop.</summary>
    ToControl,

    /// <summary>Rewritten in place for another session: send <see cref="ForwardResult.Start"/>/<see cref="ForwardResult.Length"/> to <see cref="ForwardResult.Target"/>'s peer.</summary>
    ToSession,

    /// <summary>An inner IPv4 packet for the kernel: write <see cref="ForwardResult.Start"/>/<see cref="ForwardResult.Length"/> to the TUN device.</summary>
    ToKernel,
}
