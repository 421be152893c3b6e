namespace Relay.Client.Tunnel;

/// <summary>What to do with one datagram from relayd, or why it was dropped. Indexes <see cref="DataCounters"/>.</summary>
internal enum DataVerdict
{
    /// <summary>An IPv4 packet for our session: write it to the TUN device.</summary>
    Ip,

    /// <summary>An L2TP control message (T=1): for the L2TP engine.</summary>
    L2tpControl,

    /// <summary>A PPP frame that is not IPv4 (LCP, authentication, IPCP...), or any data before the session is ready: for PPP.</summary>
    PppControl,

    /// <summary>Dropped: the L2TP header or the PPP frame does not parse.</summary>
    DroppedMalformed,

    /// <summary>Dropped: a data message for another tunnel or session than ours.</summary>
    DroppedOtherSession,

    /// <summary>Dropped: an IPv4 frame whose payload is not an IPv4 header.</summary>
    DroppedNotIpv4,

    /// <summary>Dropped: read from the TUN device but not IPv4 (IPv6 is not negotiated, IPV6CP is refused).</summary>
    DroppedTunNotIpv4,

    /// <summary>Dropped: a packet from the TUN device while no session is ready.</summary>
    DroppedNoSession,

    /// <summary>Dropped: the kernel refused the write to the TUN device or the send to relayd.</summary>
    DroppedIoError,
}
