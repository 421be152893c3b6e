namespace Relay.DataPlane.Stun;

/// <summary>What NAT discovery concludes for IPsec: go straight to the peer, or through the relay's L2TP tunnel.</summary>
public enum NatDecision
{
    /// <summary>IKE's ports reach the relay unchanged: IPsec can run without the tunnel.</summary>
    Direct,

    /// <summary>A NAT rewrites IKE's ports or a firewall blocks them: open the L2TP tunnel first (invention [0025]–[0026]).</summary>
    Tunnel,
}
