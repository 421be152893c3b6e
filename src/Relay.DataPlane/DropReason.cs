namespace Relay.DataPlane;

/// <summary>
/// Why the data plane dropped a packet: declared once, in this order, for every worker's
/// counters (<see cref="Forwarding.DropCounters"/>), metrics and logs (<see cref="Forwarding.DropReasons.Name"/>).
/// The eBPF fast path must mirror the numbering. <see cref="None"/> (0) means "not dropped".
/// Append new members at the end; never renumber.
/// </summary>
public enum DropReason : byte
{
    None = 0,

    /// <summary>The L2TP header or the PPP frame inside it does not parse (RFC 2661 §3.1, RFC 1661 §2).</summary>
    Malformed,

    /// <summary>Ver is not 2: L2F (§8.1) or an unknown version (§3.1 says discard).</summary>
    NotL2tpV2,

    /// <summary>No forwarding entry for (local tunnel id, local session id).</summary>
    UnknownSession,

    /// <summary>The UDP source is not the peer of the tunnel the ids name.</summary>
    Spoofed,

    /// <summary>An IPv4 frame on a session whose PPP/IPCP is not up yet.</summary>
    SessionNotReady,

    /// <summary>A network-layer PPP protocol other than IPv4 (IPv6, compressed datagrams, VJ), or a non-IPv4 packet from TUN.</summary>
    NotIpv4,

    /// <summary>The inner IPv4 header fails to parse or its checksum does not verify.</summary>
    BadInnerHeader,

    /// <summary>The inner source address is not the address leased to the session.</summary>
    InnerSourceSpoofed,

    /// <summary>The inner packet is not one the policy allows (by default IKE and ESP only).</summary>
    PolicyDenied,

    /// <summary>The inner TTL would reach zero at this hop (RFC 1812 §5.3.1).</summary>
    TtlExpired,

    /// <summary>The inner destination is a pool address without a ready session, or there is no kernel route.</summary>
    NoRoute,

    /// <summary>A non-first fragment whose first fragment was not seen or not allowed.</summary>
    FragmentDenied,

    /// <summary>An allowed first fragment that found no free slot to remember its verdict.</summary>
    FragmentTableFull,

    /// <summary>The rewritten header would start before the receive buffer.</summary>
    NoHeadroom,

    /// <summary>The bounded queue to the control loop is full (the peer retransmits).</summary>
    ControlQueueFull,

    /// <summary>sendmmsg refused the datagram.</summary>
    SendFailed,

    /// <summary>The TUN device refused the packet.</summary>
    KernelWriteFailed,

    /// <summary>A sequenced data message whose Ns is older than the one expected (RFC 2661 §5.4): a duplicate or a straggler.</summary>
    StaleSequence,
}
