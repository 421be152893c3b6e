using BenchmarkDotNet.Running;
using Relay.Benchmarks.Control;

// relay-benchmarks: BenchmarkDotNet micro-benchmarks (ns and bytes per call). `make bench` runs
// them; `--control-memory [N]` reports the LNS's retained managed bytes per tunnel+session;
// `--worker-throughput [seconds]` measures one data-plane worker's forwarding rate on loopback.
if (args.Length > 0 && args[0] == "--control-memory")
{
    ControlPlaneMemory.Report(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
    return 0;
}
if (args.Length > 0 && args[0] == "--worker-throughput")
{
    Relay.Benchmarks.DataPlane.WorkerThroughput.Report(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
