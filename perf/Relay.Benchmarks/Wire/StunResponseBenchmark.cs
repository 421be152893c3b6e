using BenchmarkDotNet.Attributes;
using Relay.Wire.Stun;

namespace Relay.Benchmarks.Wire;

/// <summary>The NAT discovery service's per-request work: parse a Binding request, write the response.</summary>
[MemoryDiagnoser]
public class StunResponseBenchmark
{
    private static readonly byte[] Request = Convert.FromHexString("000100002112a442000102030405060708090a0b");
    private static readonly byte[] Address = [198, 51, 100, 7];
    private readonly byte[] _response = new byte[512];

    [Benchmark]
    public int ParseRequestAndWriteBindingSuccess()
    {
        if (StunMessage.Parse(Request, out var request) != StunParseStatus.Ok || !request.IsBindingRequest)
        {
            return -1;
        }
        StunResponseWriter.WriteBindingSuccess(_response, request, Address, 40000, "relay"u8, out var written);
        return written;
    }
}
