namespace Relay.Control.Addressing;

public sealed partial class LeaseTable
{
    /// <summary>
    /// Makes the pools those of <paramref name="wanted"/> at reload, keeping every lease: a pool that
    /// is gone from the list is removed when it holds no lease, else drained and removed when its last
    /// lease ends; a pool whose definition changed is rebuilt with its leases carried over, which
    /// needs every leased address to stay usable in the new definition; a new pool is added. All or
    /// nothing: with any problem (including overlaps with pools still draining) nothing changes.
    /// </summary>
    /// <returns>The problems, each naming the pool as <c>pools[i]</c> of <paramref name="wanted"/>; empty when applied.</returns>
    public IReadOnlyList<PoolProblem> TryReconcile(IReadOnlyList<PoolDefinition> wanted, out PoolChanges changes)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        changes = new PoolChanges();
        var problems = new List<PoolProblem>(PoolValidator.Validate(wanted, _serverAddresses));
        if (problems.Count > 0)
        {
            return problems;
        }
        var wantedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in wanted)
        {
            wantedNames.Add(definition.Name);
        }
        // Pools that leave the configuration but still hold leases stay (draining) until empty.
        var retained = new List<AddressPool>();
        foreach (var pool in _pools)
        {
            if (!wantedNames.Contains(pool.Name) && pool.Used > 0)
            {
                retained.Add(pool);
            }
        }
        for (var i = 0; i < wanted.Count; i++)
        {
            var definition = wanted[i];
            foreach (var draining in retained)
            {
                if (draining.Range.Overlaps(definition.Range))
                {
                    problems.Add(new($"pools[{i}].range", definition.Name,
                        $"{definition.Range} overlaps pool \"{draining.Name}\" {draining.Range}, which is gone from the configuration but still holds {draining.Used} leases (it is draining)"));
                }
            }
            if (_byName.TryGetValue(definition.Name, out var existing) && !SameDefinition(existing.Definition, definition))
            {
                CheckLeasesFit(existing, definition, i, problems);
            }
        }
        if (problems.Count > 0)
        {
            return problems;
        }
        Apply(wanted, retained, changes);
        return problems;
    }

    private void Apply(IReadOnlyList<PoolDefinition> wanted, List<AddressPool> retained, PoolChanges changes)
    {
        var next = new List<AddressPool>(wanted.Count + retained.Count);
        foreach (var definition in wanted)
        {
            if (!_byName.TryGetValue(definition.Name, out var existing))
            {
                next.Add(new AddressPool(definition, _serverAddresses));
                changes.Added.Add(definition.Name);
                continue;
            }
            if (SameDefinition(existing.Definition, definition))
            {
                if (existing.IsDraining)
                {
                    // Back in the configuration: takes leases again.
                    existing.IsDraining = false;
                    existing.RemoveWhenEmpty = false;
                    changes.Changed.Add(definition.Name);
                }
                next.Add(existing);
                continue;
            }
            var rebuilt = new AddressPool(definition, _serverAddresses);
            for (var offset = 0u; offset < existing.Length; offset++)
            {
                var session = existing.Slots[offset];
                if (!session.IsNone)
                {
                    var address = existing.Base + offset;
                    rebuilt.Adopt(session, address, existing.IsStatic(address));
                }
            }
            next.Add(rebuilt);
            changes.Changed.Add(definition.Name);
        }
        foreach (var pool in _pools)
        {
            if (!wanted.Any(d => d.Name == pool.Name))
            {
                if (pool.Used > 0)
                {
                    pool.IsDraining = true;
                    pool.RemoveWhenEmpty = true;
                    changes.Draining.Add(pool.Name);
                }
                else
                {
                    changes.Removed.Add(pool.Name);
                }
            }
        }
        next.AddRange(retained);
        _pools.Clear();
        _byName.Clear();
        foreach (var pool in next)
        {
            _pools.Add(pool);
            _byName.Add(pool.Name, pool);
        }
        _lookup = [.. _pools];
    }

    /// <summary>A pool can be redefined under its leases only if every leased address stays leasable in the new definition.</summary>
    private void CheckLeasesFit(AddressPool existing, PoolDefinition definition, int index, List<PoolProblem> problems)
    {
        if (existing.Used == 0)
        {
            return;
        }
        var probe = new AddressPool(definition, _serverAddresses);
        var misfits = 0;
        string? first = null;
        for (var offset = 0u; offset < existing.Length; offset++)
        {
            if (existing.Slots[offset].IsNone)
            {
                continue;
            }
            var address = existing.Base + offset;
            if (!probe.Contains(address) || probe.CheckStatic(address) != LeaseResult.Ok)
            {
                misfits++;
                first ??= Ipv4Address.Format(address);
            }
        }
        if (misfits > 0)
        {
            problems.Add(new($"pools[{index}]", definition.Name,
                $"the new definition leaves out {misfits} leased address(es) (first {first}); keep them in the range and out of the exclusions, or drain the pool first"));
        }
    }

    private static bool SameDefinition(PoolDefinition a, PoolDefinition b)
    {
        if (a.Name != b.Name || a.Range != b.Range || a.Realm != b.Realm || a.Exclusions.Count != b.Exclusions.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Exclusions.Count; i++)
        {
            if (a.Exclusions[i] != b.Exclusions[i])
            {
                return false;
            }
        }
        return true;
    }
}
