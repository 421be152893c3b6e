using System.Diagnostics;

namespace Relay.Fuzz;

/// <summary>The outcome of fuzzing one target: how much ran and the first failing input, if any.</summary>
internal sealed record FuzzRun(string Target, long Executions, TimeSpan Elapsed, byte[]? FailingInput, string? Failure)
{
    public bool Passed => FailingInput is null;

    /// <summary>
    /// Runs seeds, then mutations of them, until the iteration count or the time budget is spent,
    /// stopping at the first input that throws. Any exception counts: parsers must report bad input
    /// through their status, and invariant checks throw <see cref="FuzzInvariantException"/>.
    /// </summary>
    public static FuzzRun Execute(IFuzzTarget target, int seed, long maxExecutions, TimeSpan budget, int maxLength = 2048)
    {
        var random = new Random(seed);
        var mutator = new Mutator(random, maxLength);
        var seeds = target.Seeds().ToArray();
        if (seeds.Length == 0)
        {
            seeds = [[]];
        }
        var buffer = new byte[maxLength];
        var clock = Stopwatch.StartNew();
        long executions = 0;
        foreach (var s in seeds)
        {
            if (TryRun(target, s, out var failure))
            {
                executions++;
                continue;
            }
            return new FuzzRun(target.Name, executions, clock.Elapsed, s, failure);
        }
        while (executions < maxExecutions && clock.Elapsed < budget)
        {
            var from = seeds[random.Next(seeds.Length)];
            var other = seeds[random.Next(seeds.Length)];
            var length = mutator.Mutate(from, other, buffer);
            if (!TryRun(target, buffer.AsSpan(0, length), out var failure))
            {
                return new FuzzRun(target.Name, executions, clock.Elapsed, buffer.AsSpan(0, length).ToArray(), failure);
            }
            executions++;
        }
        return new FuzzRun(target.Name, executions, clock.Elapsed, null, null);
    }

    private static bool TryRun(IFuzzTarget target, ReadOnlySpan<byte> input, out string? failure)
    {
        try
        {
            target.Run(input);
            failure = null;
            return true;
        }
        catch (Exception e)
        {
            failure = e.ToString();
            return false;
        }
    }
}
