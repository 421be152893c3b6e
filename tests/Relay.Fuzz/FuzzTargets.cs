using Relay.Fuzz.Targets;

namespace Relay.Fuzz;

/// <summary>Every parser under fuzz, by name.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } = Discover();

    public static IFuzzTarget? Find(string name)
    {
        foreach (var target in All)
        {
            if (string.Equals(target.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return target;
            }
        }
        return null;
    }

    private static List<IFuzzTarget> Discover()
    {
        // Listed by hand rather than by reflection: the harness stays trimming-safe and a target
        // that is not listed here is a compile-visible omission in review.
        var targets = new List<IFuzzTarget>();
        TargetList.AddTo(targets);
        return targets;
    }
}
