using System.Diagnostics.CodeAnalysis;

namespace Relay.Control.Addressing;

/// <summary>
/// Which session holds which address, over all pools. Owned by the control loop thread: not
/// thread-safe (the data plane reads a forwarding table the control loop publishes, not this).
/// </summary>
/// <remarks>
/// <para>Address → session is a direct array per pool indexed by <c>address - pool base</c>: a
/// range check per pool, one array load, no allocation. Session → address is a dictionary
/// entry per lease (about 20 bytes).</para>
/// <para>A session holds at most one address. Leases end with <see cref="Release(SessionKey)"/>
/// when the session ends.</para>
/// </remarks>
public sealed partial class LeaseTable
{
    private readonly uint[] _serverAddresses;
    private readonly List<AddressPool> _pools = [];
    private readonly Dictionary<string, AddressPool> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<SessionKey, uint> _bySession = [];
    // Copy of _pools for the lookup loop: an array indexes without List's version checks.
    private AddressPool[] _lookup = [];

    /// <summary>
    /// Builds the pools. The definitions must have passed <see cref="PoolValidator.Validate"/>
    /// with the same server addresses; otherwise this throws <see cref="ArgumentException"/> listing the problems.
    /// </summary>
    /// <param name="serverAddresses">relayd's own addresses: never handed out, even if a pool contains them.</param>
    public LeaseTable(IReadOnlyList<PoolDefinition> pools, ReadOnlySpan<uint> serverAddresses)
    {
        ArgumentNullException.ThrowIfNull(pools);
        _serverAddresses = serverAddresses.ToArray();
        var problems = PoolValidator.Validate(pools, serverAddresses);
        if (problems.Count > 0)
        {
            ThrowInvalid(problems);
        }
        foreach (var definition in pools)
        {
            Add(new AddressPool(definition, serverAddresses));
        }
    }

    public IReadOnlyList<AddressPool> Pools => _pools;

    /// <summary>Leases held now, over all pools.</summary>
    public int Count => _bySession.Count;

    /// <summary>The server's own addresses, as given at construction.</summary>
    public ReadOnlySpan<uint> ServerAddresses => _serverAddresses;

    public bool TryGetPool(string name, [NotNullWhen(true)] out AddressPool? pool) => _byName.TryGetValue(name, out pool);

    /// <summary>The pool whose range holds <paramref name="address"/>, if any (its realm decides the route).</summary>
    public bool TryFindPool(uint address, [NotNullWhen(true)] out AddressPool? pool)
    {
        foreach (var candidate in _lookup)
        {
            if (address - candidate.Base < candidate.Length)
            {
                pool = candidate;
                return true;
            }
        }
        pool = null;
        return false;
    }

    /// <summary>
    /// Leases a free address of the named pool: the one released longest ago, never the one just released
    /// while another is free. If the session already holds an address, returns <see cref="LeaseResult.AlreadyLeased"/> and that address.
    /// </summary>
    public LeaseResult TryLease(string poolName, SessionKey session, out uint address)
    {
        if (!session.IsValid)
        {
            address = 0;
            return LeaseResult.InvalidSession;
        }
        if (_bySession.TryGetValue(session, out address))
        {
            return LeaseResult.AlreadyLeased;
        }
        if (!_byName.TryGetValue(poolName, out var pool))
        {
            return LeaseResult.UnknownPool;
        }
        if (pool.IsDraining)
        {
            return LeaseResult.PoolDraining;
        }
        if (!pool.TryAllocate(session, out address))
        {
            return LeaseResult.Exhausted;
        }
        _bySession.Add(session, address);
        return LeaseResult.Ok;
    }

    /// <summary>
    /// Leases a per-user static address (from the secrets file). It must lie in a pool, be usable there
    /// (not an exclusion, boundary or server address), and be free.
    /// </summary>
    public LeaseResult TryLeaseStatic(SessionKey session, uint address)
    {
        if (!session.IsValid)
        {
            return LeaseResult.InvalidSession;
        }
        if (_bySession.ContainsKey(session))
        {
            return LeaseResult.AlreadyLeased;
        }
        if (!TryFindPool(address, out var pool))
        {
            return LeaseResult.NotInAnyPool;
        }
        var result = pool.CheckStatic(address);
        if (result == LeaseResult.Ok)
        {
            pool.AssignStatic(session, address);
            _bySession.Add(session, address);
        }
        return result;
    }

    /// <summary>Ends the session's lease. A session without a lease gives <see cref="LeaseResult.NotLeased"/> and changes nothing.</summary>
    public LeaseResult Release(SessionKey session) => Release(session, out _);

    /// <inheritdoc cref="Release(SessionKey)"/>
    /// <param name="address">The address released (for the forwarding table), or 0.</param>
    public LeaseResult Release(SessionKey session, out uint address)
    {
        if (!_bySession.Remove(session, out address))
        {
            return LeaseResult.NotLeased;
        }
        TryFindPool(address, out var pool);
        pool!.Release(address);
        if (pool.RemoveWhenEmpty && pool.Used == 0)
        {
            TryRemovePool(pool.Name);
        }
        return LeaseResult.Ok;
    }

    /// <summary>The session holding <paramref name="address"/>. O(1) per pool, allocation-free.</summary>
    public bool TryFindSession(uint address, out SessionKey session)
    {
        foreach (var pool in _lookup)
        {
            var offset = address - pool.Base;
            if (offset < pool.Length)
            {
                session = pool.Slots[offset];
                return !session.IsNone;
            }
        }
        session = default;
        return false;
    }

    /// <summary>The address the session holds.</summary>
    public bool TryFindAddress(SessionKey session, out uint address) => _bySession.TryGetValue(session, out address);

    /// <summary>Every lease, in no particular order (for the control API).</summary>
    public IEnumerable<Lease> Leases
    {
        get
        {
            foreach (var (session, address) in _bySession)
            {
                TryFindPool(address, out var pool);
                yield return new Lease(session, address, pool!.Name, pool.IsStatic(address));
            }
        }
    }

    private void Add(AddressPool pool)
    {
        _pools.Add(pool);
        _byName.Add(pool.Name, pool);
        _lookup = [.. _pools];
    }

    private static void ThrowInvalid(IReadOnlyList<PoolProblem> problems)
        => throw new ArgumentException("invalid pools: " + string.Join("; ", problems), "pools");
}
