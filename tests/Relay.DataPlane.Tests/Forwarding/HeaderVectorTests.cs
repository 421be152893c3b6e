using Relay.DataPlane.Forwarding;

namespace Relay.DataPlane.Tests.Forwarding;

/// <summary>
/// The header written as one Vector128 store (inner packet at least 16 octets into the buffer) is
/// octet for octet the header the scalar writer produces (inner packet closer to the buffer's start).
/// </summary>
public class HeaderVectorTests
{
    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    public void Vector_and_scalar_headers_are_identical(bool withLength, bool priority, bool sequenced)
    {
        // L + S makes a 16-octet header, which always takes the vector store (RewriteTests covers it):
        // the scalar writer only runs with fewer than 16 octets before the packet.
        var headerLength = 6 + (withLength ? 2 : 0) + (sequenced ? 4 : 0) + 4;
        var inner = Packets.Esp(100);
        var scalarTable = new ForwardingTable([Packets.Pool], workers: 1);
        var vectorTable = new ForwardingTable([Packets.Pool], workers: 1);
        var scalarTarget = scalarTable.Ready(Packets.KeyB, Packets.PeerB, 0x1234, 0xBEEF, sequenced, Packets.AddressB, nextNs: 0x7FFE);
        var vectorTarget = vectorTable.Ready(Packets.KeyB, Packets.PeerB, 0x1234, 0xBEEF, sequenced, Packets.AddressB, nextNs: 0x7FFE);

        var scalarBuffer = new byte[headerLength + inner.Length];
        inner.CopyTo(scalarBuffer, headerLength);
        var vectorBuffer = new byte[40 + inner.Length];
        vectorBuffer.AsSpan(0, 40).Fill(0xEE);
        inner.CopyTo(vectorBuffer, 40);

        Assert.Equal(DropReason.None, Forwarder.Encapsulate(scalarBuffer, headerLength, inner.Length, scalarTarget, withLength, priority, decrementTtl: true,
            out var scalarStart, out var scalarLength));
        Assert.Equal(DropReason.None, Forwarder.Encapsulate(vectorBuffer, 40, inner.Length, vectorTarget, withLength, priority, decrementTtl: true,
            out var vectorStart, out var vectorLength));

        Assert.Equal(0, scalarStart);
        Assert.Equal(40 - headerLength, vectorStart);
        Assert.Equal(scalarLength, vectorLength);
        Assert.Equal(scalarBuffer.AsSpan(scalarStart, scalarLength).ToArray(), vectorBuffer.AsSpan(vectorStart, vectorLength).ToArray());
        Assert.All(vectorBuffer[..(40 - 16)], b => Assert.Equal(0xEE, b)); // nothing before the 16-octet block is touched
    }
}
