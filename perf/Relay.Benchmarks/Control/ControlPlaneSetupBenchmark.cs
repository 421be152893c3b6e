using System.Net;
using BenchmarkDotNet.Attributes;
using Relay.Control.L2tp;

namespace Relay.Benchmarks.Control;

/// <summary>
/// Control-plane set-up rate with the in-memory engines: one LNS engine, one LAC engine, and
/// <see cref="Tunnels"/> tunnels each with one session, from SCCRQ to ICCN acknowledged.
/// Divide <see cref="Tunnels"/> by the mean time for tunnel+session set-ups per second.
/// </summary>
[MemoryDiagnoser]
public class ControlPlaneSetupBenchmark
{
    [Params(1000)]
    public int Tunnels { get; set; }

    [Benchmark]
    public int EstablishTunnelsWithOneSessionEach() => ControlPlaneHarness.Establish(Tunnels, out _, out _);
}
