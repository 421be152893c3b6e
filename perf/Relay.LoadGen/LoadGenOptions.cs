using System.Globalization;

namespace Relay.LoadGen;

/// <summary>The command line of relay-loadgen (see <see cref="Usage"/>).</summary>
internal sealed record LoadGenOptions
{
    public const string Usage = """
        relay-loadgen: the Relay perf harness (README "Performance"). Needs root (network namespaces).

          relay-loadgen [--suite short|full] [--scenario NAME[,NAME...]] [options]

        Scenarios (--list prints them): forward-PAYLOAD[-xPAIRS] (PAYLOAD 64, 512 or 1400 = IPv4 packet
        bytes inside PPP; PAIRS session pairs, default 1), session-scale-N (ramp to N tunnels, one
        session each, full PPP), setup-storm-N (N clients dialling at once), smoke.

        Options:
          --suite short|full    short (default, make bench, about 7 min) or full (make bench-full)
          --scenario LIST       run these scenarios instead of a suite
          --seconds S           steady-state window per measurement (default: per suite)
          --fast-path LIST      relayd modes measured in every forwarding scenario, from off, xdp,
                                xdp-generic, tc (default all four; the C baseline is measured once)
          --out DIR             where the JSON goes (default perf/results)
          --relayd PATH         relayd binary (default $RELAYD or artifacts/bin/relayd)
          --baseline PATH       C baseline binary (default artifacts/bin/udp_relay; built if missing)
          --relay-cpu N         pin relayd and the baseline to CPU N (default 0; -1 = no pinning)
          --sender-cpu N        pin the sender thread (default 1; -1 = none)
          --receiver-cpu N      pin the receiver thread (default 1; -1 = none)
          --keep                keep the scratch directory (configs)
        """;

    public string Suite { get; init; } = "short";

    public IReadOnlyList<string> Scenarios { get; init; } = [];

    public double? Seconds { get; init; }

    public static readonly IReadOnlyList<string> FastPathModes = ["off", "xdp", "xdp-generic", "tc"];

    public IReadOnlyList<string> FastPath { get; init; } = ["off", "xdp", "xdp-generic", "tc"];

    public string OutputDirectory { get; init; } = Path.Combine(RepositoryRoot, "perf", "results");

    public string RelaydPath { get; init; } = Environment.GetEnvironmentVariable("RELAYD") is { Length: > 0 } env ? env : Path.Combine(RepositoryRoot, "artifacts", "bin", "relayd");

    public string BaselinePath { get; init; } = Path.Combine(RepositoryRoot, "artifacts", "bin", "udp_relay");

    public int? RelayCpu { get; init; } = 0;

    public int? SenderCpu { get; init; } = Math.Min(1, Environment.ProcessorCount - 1);

    public int? ReceiverCpu { get; init; } = Math.Min(1, Environment.ProcessorCount - 1);

    public bool Keep { get; init; }

    public bool List { get; init; }

    /// <summary>The directory holding Relay.sln, found upwards from the executable, else the working directory.</summary>
    public static string RepositoryRoot
    {
        get
        {
            foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "Relay.sln")))
                    {
                        return dir.FullName;
                    }
                }
            }
            return Environment.CurrentDirectory;
        }
    }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static LoadGenOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadGenOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int? Cpu() => int.Parse(Value(), CultureInfo.InvariantCulture) is var n && n < 0 ? null : n;
            options = args[i] switch
            {
                "--suite" => options with { Suite = Value() is var s && s is "short" or "full" ? s : throw new ArgumentException("--suite: short or full") },
                "--scenario" => options with { Scenarios = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--seconds" => options with { Seconds = double.Parse(Value(), CultureInfo.InvariantCulture) is > 0 and var sec ? sec : throw new ArgumentException("--seconds: more than 0") },
                "--fast-path" => options with { FastPath = FastPathList(Value()) },
                "--out" => options with { OutputDirectory = Path.GetFullPath(Value()) },
                "--relayd" => options with { RelaydPath = Path.GetFullPath(Value()) },
                "--baseline" => options with { BaselinePath = Path.GetFullPath(Value()) },
                "--relay-cpu" => options with { RelayCpu = Cpu() },
                "--sender-cpu" => options with { SenderCpu = Cpu() },
                "--receiver-cpu" => options with { ReceiverCpu = Cpu() },
                "--keep" => options with { Keep = true },
                "--list" => options with { List = true },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }
        return options;
    }

    private static string[] FastPathList(string value)
    {
        var modes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var mode in modes)
        {
            if (!FastPathModes.Contains(mode))
            {
                throw new ArgumentException($"--fast-path: \"{mode}\" is not one of {string.Join(", ", FastPathModes)}");
            }
        }
        return modes.Length > 0 ? modes.Distinct().ToArray() : throw new ArgumentException("--fast-path: at least one mode");
    }
}
