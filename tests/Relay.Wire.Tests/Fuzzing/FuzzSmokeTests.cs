using Relay.Fuzz;

namespace Relay.Wire.Tests.Fuzzing;

/// <summary>
/// A short, fixed-seed run of every fuzz target on each `make test`, so a parser that starts
/// throwing on malformed input fails CI; `make fuzz` runs the same targets for longer.
/// </summary>
public class FuzzSmokeTests
{
    public static TheoryData<string> Targets()
    {
        var data = new TheoryData<string>();
        foreach (var target in FuzzTargets.All)
        {
            data.Add(target.Name);
        }
        return data;
    }

    [Fact]
    public void Every_parser_has_a_fuzz_target()
    {
        var names = FuzzTargets.All.Select(t => t.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "l2tp", "ppp", "ipv4", "stun", "chap-secrets" }, names);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Parser_survives_fifty_thousand_mutated_inputs(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var run = FuzzRun.Execute(target, seed: 20261127, maxExecutions: 50_000, budget: TimeSpan.FromMinutes(2));
        Assert.True(run.Passed, $"{name} failed on {Convert.ToHexString(run.FailingInput ?? [])}: {run.Failure}");
        Assert.Equal(50_000, run.Executions);
    }

    [Fact]
    public void Mutator_produces_inputs_that_differ_from_the_seed()
    {
        var mutator = new Mutator(new Random(1), 64);
        byte[] seed = [1, 2, 3, 4, 5, 6, 7, 8];
        var buffer = new byte[64];
        var distinct = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            var length = mutator.Mutate(seed, seed, buffer);
            distinct.Add(Convert.ToHexString(buffer, 0, length));
        }
        Assert.True(distinct.Count > 150, $"only {distinct.Count} distinct mutations of 200");
    }
}
