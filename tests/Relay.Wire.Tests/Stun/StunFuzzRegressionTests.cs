using Relay.Wire.Stun;

namespace Relay.Wire.Tests.Stun;

/// <summary>Inputs the fuzzer found; each once broke a rule of Relay.Wire (no exception on bad input).</summary>
public class StunFuzzRegressionTests
{
    // A Binding header whose Length (0) disagrees with a 23-octet datagram: the failed parse
    // leaves a default message, whose attributes must enumerate as none rather than throw.
    [Fact]
    public void Enumerating_attributes_after_a_length_mismatch_yields_nothing()
    {
        var input = Convert.FromHexString("000100000100002112A442000102030405060708090A0B");
        Assert.Equal(StunParseStatus.LengthMismatch, StunMessage.Parse(input, out var message));
        var count = 0;
        foreach (var _ in message.Attributes)
        {
            count++;
        }
        Assert.Equal(0, count);
    }
}
