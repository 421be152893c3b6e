namespace Relay.Control.Addressing;

/// <summary>The outcome of a lease-table operation. Expected conditions are results, never exceptions.</summary>
public enum LeaseResult
{
    /// <summary>Done: leased, released, or removed.</summary>
    Ok,

    /// <summary>The session already holds an address (returned where the call has an out address); nothing changed.</summary>
    AlreadyLeased,

    /// <summary>The pool has no free address.</summary>
    Exhausted,

    /// <summary>No pool has this name.</summary>
    UnknownPool,

    /// <summary>The pool is being drained for removal and takes no new leases.</summary>
    PoolDraining,

    /// <summary>The pool still holds leases, so it cannot be removed.</summary>
    PoolInUse,

    /// <summary>A static address is leased to another session.</summary>
    AddressInUse,

    /// <summary>A static address lies in no pool.</summary>
    NotInAnyPool,

    /// <summary>A static address is one of the pool's configured exclusions.</summary>
    Excluded,

    /// <summary>A static address is the pool's network or broadcast address, or one of the server's own addresses.</summary>
    Reserved,

    /// <summary>The session key has a zero tunnel or session id.</summary>
    InvalidSession,

    /// <summary>Release of a session that holds no lease: nothing changed.</summary>
    NotLeased,
}
