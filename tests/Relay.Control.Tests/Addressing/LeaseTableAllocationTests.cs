using Relay.Control.Addressing;
using static Relay.Control.Tests.Addressing.Ip;

namespace Relay.Control.Tests.Addressing;

public class LeaseTableAllocationTests
{
    private static int FindAll(LeaseTable table, uint first, int count)
    {
        var found = 0;
        for (var i = 0; i < count; i++)
        {
            if (table.TryFindSession(first + (uint)i, out var session) && session.IsValid)
            {
                found++;
            }
        }
        return found;
    }

    [Fact]
    public void Finding_the_session_for_an_address_allocates_nothing()
    {
        var table = new LeaseTable([Pool("a", "10.0.0.0/24"), Pool("b", "10.0.4.0/22")], []);
        for (ushort i = 1; i <= 100; i++)
        {
            table.TryLease(i % 2 == 0 ? "a" : "b", S(1, i), out _);
        }
        // Hits, free addresses, boundaries, and misses between and outside the pools.
        FindAll(table, A("10.0.0.0"), 2048);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = 0;
        for (var round = 0; round < 100; round++)
        {
            found += FindAll(table, A("10.0.0.0"), 2048);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(100 * 100, found);
        Assert.Equal(0, allocated);
    }
}
