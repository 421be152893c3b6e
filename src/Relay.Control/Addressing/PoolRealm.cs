namespace Relay.Control.Addressing;

/// <summary>Where a pool's addresses are reachable from.</summary>
public enum PoolRealm
{
    /// <summary>FIG. 1 and 3: reachable only between sessions on this relay.</summary>
    Private,

    /// <summary>FIG. 2: publicly routed; inner packets go to the kernel through TUN.</summary>
    Public,
}
