namespace Relay.DataPlane.Bpf;

/// <summary>
/// Why the kernel program left a packet untouched for the stack and the user-space workers;
/// mirrors <c>enum relay_pass</c> in native/bpf/lib/drop.h (a test checks they agree).
/// </summary>
public enum FastPathPass
{
    /// <summary>Not Ethernet/IPv4/UDP to port 1701.</summary>
    NotL2tp = 0,

    /// <summary>Outer IPv4 options, a fragment, a bad header checksum, or another destination address.</summary>
    OuterShape = 1,

    /// <summary>An L2TP control message (T bit, RFC 2661 §3.1).</summary>
    Control = 2,

    /// <summary>Not version 2, the O bit, a Length that disagrees with the datagram, or trailing octets.</summary>
    L2tpShape = 3,

    /// <summary>The S bit: Ns/Nr stay with user space (RFC 2661 §5.4).</summary>
    Sequenced = 4,

    /// <summary>No kernel entry for the ids: a session that is not ready, or not ours.</summary>
    UnknownSession = 5,

    /// <summary>Not FF 03 00 21: PPP control, other protocols, a compressed header, or too short for IPv4.</summary>
    Ppp = 6,

    /// <summary>Inner IPv4 options or a fragment (the fragment table lives in user space).</summary>
    InnerShape = 7,

    /// <summary>The inner destination is not a ready session the kernel knows (TUN, no route).</summary>
    NoRoute = 8,

    /// <summary>The target session wants Ns on data messages.</summary>
    TargetSequenced = 9,

    /// <summary>No route or no resolved neighbour for the new outer destination.</summary>
    Fib = 10,

    /// <summary>tc only: a GRO train (several datagrams merged in one skb, as the kernel delivers them to UDP_GRO sockets); the workers split it.</summary>
    Coalesced = 11,
}
