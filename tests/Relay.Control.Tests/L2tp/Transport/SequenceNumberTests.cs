using Relay.Control.L2tp.Transport;

namespace Relay.Control.Tests.L2tp.Transport;

public class SequenceNumberTests
{
    // RFC 2661 §5.8: with 15 last received, 0..15 and 32784..65535 are "less than or equal".
    [Theory]
    [InlineData(0, 16, true)]
    [InlineData(15, 16, true)]
    [InlineData(32784, 16, true)]
    [InlineData(65535, 16, true)]
    [InlineData(16, 16, false)]
    [InlineData(17, 16, false)]
    [InlineData(32783, 16, false)]
    public void Before_follows_the_rfc_example_of_the_32767_preceding_values(int a, int b, bool before)
        => Assert.Equal(before, SequenceNumber.IsBefore((ushort)a, (ushort)b));

    [Fact]
    public void Distance_wraps_modulo_65536()
    {
        Assert.Equal(2, SequenceNumber.Distance(65535, 1));
        Assert.Equal(0, SequenceNumber.Distance(7, 7));
    }
}
