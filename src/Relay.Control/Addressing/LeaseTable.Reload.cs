namespace Relay.Control.Addressing;

public sealed partial class LeaseTable
{
    /// <summary>
    /// Adds a pool at reload. Returns the problems (the new pool checked against the existing ones and
    /// the server addresses, with the new pool last in <c>pools[...]</c>); none means it was added.
    /// </summary>
    public IReadOnlyList<PoolProblem> TryAddPool(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var all = new List<PoolDefinition>(_pools.Count + 1);
        foreach (var pool in _pools)
        {
            all.Add(pool.Definition);
        }
        all.Add(definition);
        var problems = PoolValidator.Validate(all, _serverAddresses);
        if (problems.Count == 0)
        {
            Add(new AddressPool(definition, _serverAddresses));
        }
        return problems;
    }

    /// <summary>
    /// Stops the pool taking new leases (dynamic or static); existing leases stay until their sessions
    /// end, then <see cref="TryRemovePool"/> succeeds. Gives <see cref="LeaseResult.UnknownPool"/> or <see cref="LeaseResult.Ok"/>.
    /// </summary>
    public LeaseResult Drain(string poolName) => Drain(poolName, removeWhenEmpty: false);

    /// <summary>
    /// Like <see cref="Drain(string)"/>; with <paramref name="removeWhenEmpty"/> the pool also leaves the
    /// table by itself when its last lease is released (at once when it holds none).
    /// </summary>
    public LeaseResult Drain(string poolName, bool removeWhenEmpty)
    {
        if (!_byName.TryGetValue(poolName, out var pool))
        {
            return LeaseResult.UnknownPool;
        }
        pool.IsDraining = true;
        pool.RemoveWhenEmpty |= removeWhenEmpty;
        if (pool.RemoveWhenEmpty && pool.Used == 0)
        {
            TryRemovePool(poolName);
        }
        return LeaseResult.Ok;
    }

    /// <summary>Removes a pool that holds no leases; a pool still in use gives <see cref="LeaseResult.PoolInUse"/> (drain it first).</summary>
    public LeaseResult TryRemovePool(string poolName)
    {
        if (!_byName.TryGetValue(poolName, out var pool))
        {
            return LeaseResult.UnknownPool;
        }
        if (pool.Used > 0)
        {
            return LeaseResult.PoolInUse;
        }
        _pools.Remove(pool);
        _byName.Remove(poolName);
        _lookup = [.. _pools];
        return LeaseResult.Ok;
    }
}
