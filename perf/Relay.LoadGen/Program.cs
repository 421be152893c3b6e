using Relay.LoadGen;
using Relay.LoadGen.Scenarios;

LoadGenOptions options;
try
{
    if (args is ["--help"] or ["-h"])
    {
        Console.Write(LoadGenOptions.Usage);
        return 0;
    }
    options = LoadGenOptions.Parse(args);
    if (options.List)
    {
        Console.WriteLine($"short: {string.Join(' ', ScenarioSpec.ShortSuite)}\nfull:  {string.Join(' ', ScenarioSpec.FullSuite)}\nsmoke");
        return 0;
    }
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"relay-loadgen: {e.Message}\n\n{LoadGenOptions.Usage}");
    return 2;
}

try
{
    // The relay CPU's busy time is the relay's cost: nothing of ours may run there. (Here, not in
    // LoadGenerator.Run, which the test suite calls inside its own process.)
    if (options.RelayCpu is { } relayCpu)
    {
        Relay.LoadGen.Rig.CpuAffinity.KeepProcessOff(relayCpu);
    }
    LoadGenerator.Run(options, Console.Out);
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"relay-loadgen: {e.Message}");
    return 1;
}
