using BenchmarkDotNet.Attributes;
using Relay.Control.Ppp;

namespace Relay.Benchmarks.Control;

/// <summary>
/// Full session set-up rate in memory (L2TP tunnel + session + LCP + authentication + IPCP with a
/// lease): divide <see cref="Sessions"/> by the mean for ready sessions per second.
/// </summary>
[MemoryDiagnoser]
public class SessionSetupBenchmark
{
    [Params(500)]
    public int Sessions { get; set; }

    [Params(PppAuthMethod.ChapMd5, PppAuthMethod.MsChapV2)]
    public PppAuthMethod Method { get; set; }

    [Benchmark]
    public int DialToReady() => SessionHarness.Establish(Sessions, Method, out _);
}
