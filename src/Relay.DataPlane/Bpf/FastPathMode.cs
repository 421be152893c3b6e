namespace Relay.DataPlane.Bpf;

/// <summary>Where the kernel fast path runs (<c>dataplane.fastPath</c>).</summary>
public enum FastPathMode
{
    /// <summary>No kernel program: every packet goes through the user-space workers.</summary>
    Off,

    /// <summary>XDP in the driver (native): fastest; needs driver support (veth, most 10G+ NICs).</summary>
    Xdp,

    /// <summary>XDP on the generic (skb) hook: works on any interface, at roughly tc cost.</summary>
    XdpGeneric,

    /// <summary>tc clsact ingress with bpf_redirect: for interfaces or modes where XDP cannot transmit.</summary>
    Tc,
}
