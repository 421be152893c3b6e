namespace Relay.Control.Addressing;

/// <summary>
/// Checks pool definitions for semantic problems (syntax is the config layer's job). Used at start-up
/// and on reload alike; returns every problem, each naming its pool, e.g.
/// <c>pools[1].range "b": overlaps pools[0] "a"</c>.
/// </summary>
public static class PoolValidator
{
    public static IReadOnlyList<PoolProblem> Validate(IReadOnlyList<PoolDefinition> pools, ReadOnlySpan<uint> serverAddresses)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var problems = new List<PoolProblem>();
        for (var i = 0; i < pools.Count; i++)
        {
            var pool = pools[i];
            var at = $"pools[{i}]";
            if (pool is null)
            {
                problems.Add(new(at, "", "must not be null"));
                continue;
            }
            CheckName(pools, i, at, problems);
            CheckOverlaps(pools, i, at, problems);
            var range = pool.Range;
            if (range.PrefixLength < AddressPool.MinPrefixLength)
            {
                problems.Add(new($"{at}.range", pool.Name, $"{range} is too large: a pool is at most a /{AddressPool.MinPrefixLength}"));
                continue;
            }
            var exclusionsInside = CheckExclusions(pool, at, problems);
            CheckServerAddresses(pool, at, serverAddresses, problems);
            if (exclusionsInside)
            {
                AddressPool.BuildFlags(pool, serverAddresses, out var usable);
                if (usable == 0)
                {
                    problems.Add(new($"{at}.range", pool.Name, $"{range} has no usable address left after the network, broadcast, excluded and server addresses"));
                }
            }
        }
        return problems;
    }

    private static void CheckName(IReadOnlyList<PoolDefinition> pools, int i, string at, List<PoolProblem> problems)
    {
        var name = pools[i].Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(new($"{at}.name", name ?? "", "must not be empty"));
            return;
        }
        for (var j = 0; j < i; j++)
        {
            if (pools[j] is { } earlier && string.Equals(earlier.Name, name, StringComparison.Ordinal))
            {
                problems.Add(new($"{at}.name", name, $"duplicate of pools[{j}] \"{earlier.Name}\""));
                return;
            }
        }
    }

    private static void CheckOverlaps(IReadOnlyList<PoolDefinition> pools, int i, string at, List<PoolProblem> problems)
    {
        var pool = pools[i];
        for (var j = 0; j < i; j++)
        {
            if (pools[j] is { } earlier && earlier.Range.Overlaps(pool.Range))
            {
                problems.Add(new($"{at}.range", pool.Name, $"{pool.Range} overlaps pools[{j}] \"{earlier.Name}\" {earlier.Range}"));
            }
        }
    }

    /// <summary>Returns true when every exclusion lies inside the range.</summary>
    private static bool CheckExclusions(PoolDefinition pool, string at, List<PoolProblem> problems)
    {
        var inside = true;
        for (var k = 0; k < pool.Exclusions.Count; k++)
        {
            var exclusion = pool.Exclusions[k];
            if (!pool.Range.Contains(exclusion))
            {
                problems.Add(new($"{at}.exclusions[{k}]", pool.Name, $"{exclusion} is not inside the pool's range {pool.Range}"));
                inside = false;
            }
        }
        return inside;
    }

    /// <summary>
    /// A server address the pool would otherwise hand out is a problem: it must be excluded explicitly
    /// (the pool never hands it out either way; this makes the configuration say so).
    /// </summary>
    private static void CheckServerAddresses(PoolDefinition pool, string at, ReadOnlySpan<uint> serverAddresses, List<PoolProblem> problems)
    {
        var range = pool.Range;
        foreach (var server in serverAddresses)
        {
            var boundary = range.PrefixLength <= 30 && (server == range.Network || server == range.Last);
            if (!range.Contains(server) || boundary || IsExcluded(pool, server))
            {
                continue;
            }
            problems.Add(new($"{at}.range", pool.Name,
                $"{range} contains the server's own address {Ipv4Address.Format(server)}; add it to exclusions or move the pool"));
        }
    }

    private static bool IsExcluded(PoolDefinition pool, uint address)
    {
        foreach (var exclusion in pool.Exclusions)
        {
            if (exclusion.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}
