namespace Relay.Control.L2tp;

/// <summary>RFC 2661 §1.2: the LAC places calls (ICRQ), the LNS terminates PPP.</summary>
public enum L2tpRole
{
    Lns,
    Lac,
}
