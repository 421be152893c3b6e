using Relay.Fuzz;

// relay-fuzz: mutation fuzzing of Relay.Wire's parsers. `make test` runs a short fixed-seed
// smoke run of every target through Relay.Wire.Tests; `make fuzz` runs this for longer with a
// fresh seed. A failing input is written to fuzz-out/ and can be replayed with --reproduce.
const string usage = """
usage: relay-fuzz [--target NAME|all] [--seconds N] [--iterations N] [--seed N] [--out DIR]
       relay-fuzz --target NAME --reproduce FILE
       relay-fuzz --list

  --target NAME     a target from --list, or all (default)
  --seconds N       time budget per target (default 60)
  --iterations N    stop a target after N executions (default: unlimited)
  --seed N          PRNG seed (default: random, printed so a run can be repeated)
  --out DIR         where failing inputs are written (default fuzz-out)
  --reproduce FILE  run one input file through the target and print the failure, if any
""";

var targetName = "all";
var seconds = 60.0;
var iterations = long.MaxValue;
var seed = Random.Shared.Next();
var outDir = "fuzz-out";
string? reproduce = null;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--target": targetName = Next(); break;
        case "--seconds": seconds = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--iterations": iterations = long.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--out": outDir = Next(); break;
        case "--reproduce": reproduce = Next(); break;
        case "--list":
            foreach (var t in FuzzTargets.All)
            {
                Console.WriteLine(t.Name);
            }
            return 0;
        case "-h" or "--help":
            Console.WriteLine(usage);
            return 0;
        default:
            Console.Error.WriteLine($"relay-fuzz: unknown option '{args[i]}'");
            Console.Error.WriteLine(usage);
            return 2;
    }
}

var targets = targetName == "all" ? FuzzTargets.All : FuzzTargets.Find(targetName) is { } one ? [one] : [];
if (targets.Count == 0)
{
    Console.Error.WriteLine($"relay-fuzz: no target '{targetName}' (try --list)");
    return 2;
}

if (reproduce is not null)
{
    var input = File.ReadAllBytes(reproduce);
    var replay = FuzzRun.Execute(new SingleInputTarget(targets[0], input), seed, 0, TimeSpan.Zero);
    Console.WriteLine(replay.Passed ? "no failure" : replay.Failure);
    return replay.Passed ? 0 : 1;
}

Console.WriteLine($"relay-fuzz: seed {seed}, {seconds} s per target");
var failed = 0;
foreach (var target in targets)
{
    var run = FuzzRun.Execute(target, seed, iterations, TimeSpan.FromSeconds(seconds));
    var rate = run.Executions / Math.Max(run.Elapsed.TotalSeconds, 0.001);
    if (run.Passed)
    {
        Console.WriteLine($"{run.Target,-8} ok      {run.Executions,12:N0} execs  {rate,12:N0} execs/s");
        continue;
    }
    failed++;
    Directory.CreateDirectory(outDir);
    var file = Path.Combine(outDir, $"crash-{run.Target}-{Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(run.FailingInput!))[..12].ToLowerInvariant()}.bin");
    File.WriteAllBytes(file, run.FailingInput!);
    Console.WriteLine($"{run.Target,-8} FAILED after {run.Executions:N0} execs; input {file} ({Convert.ToHexString(run.FailingInput!)})");
    Console.WriteLine(run.Failure);
}
return failed == 0 ? 0 : 1;

/// <summary>Replays one stored input through a target, with no mutation.</summary>
internal sealed class SingleInputTarget(IFuzzTarget inner, byte[] input) : IFuzzTarget
{
    public string Name => inner.Name;

    public IEnumerable<byte[]> Seeds() => [input];

    public void Run(ReadOnlySpan<byte> data) => inner.Run(data);
}
