using Relay.Control.Addressing;
using static Relay.Control.Tests.Addressing.Ip;

namespace Relay.Control.Tests.Addressing;

public class AddressPoolTests
{
    private static List<uint> LeaseAll(LeaseTable table, string pool)
    {
        var addresses = new List<uint>();
        var tunnel = (ushort)(table.Pools.Select(p => p.Name).ToList().IndexOf(pool) + 1);
        for (ushort i = 1; table.TryLease(pool, S(tunnel, i), out var address) == LeaseResult.Ok; i++)
        {
            addresses.Add(address);
        }
        return addresses;
    }

    [Fact]
    public void A_slash_24_hands_out_everything_but_its_network_and_broadcast_addresses()
    {
        var table = new LeaseTable([Pool("a", "10.0.0.0/24")], []);
        var pool = table.Pools[0];

        Assert.Equal((256, 254, 254), (pool.Size, pool.Usable, pool.Free));
        var addresses = LeaseAll(table, "a");
        Assert.Equal(Enumerable.Range(1, 254).Select(i => A("10.0.0.0") + (uint)i), addresses);
    }

    [Fact]
    public void A_slash_31_has_two_usable_addresses_and_a_slash_32_one_as_in_rfc_3021()
    {
        var table = new LeaseTable([Pool("p2p", "10.0.0.0/31"), Pool("host", "10.0.1.7/32")], []);

        Assert.Equal([A("10.0.0.0"), A("10.0.0.1")], LeaseAll(table, "p2p"));
        Assert.Equal([A("10.0.1.7")], LeaseAll(table, "host"));
    }

    [Fact]
    public void Exclusions_and_server_addresses_are_never_handed_out()
    {
        var table = new LeaseTable([Pool("a", "10.0.0.0/28", "10.0.0.4/30", "10.0.0.9", "10.0.0.1")], [A("10.0.0.1"), A("192.0.2.1")]);

        Assert.Equal(new uint[] { 2, 3, 8, 10, 11, 12, 13, 14 }.Select(i => A("10.0.0.0") + i), LeaseAll(table, "a"));
        Assert.Equal(8, table.Pools[0].Usable);
    }

    [Fact]
    public void A_pool_larger_than_a_slash_12_is_refused()
    {
        var problems = PoolValidator.Validate([Pool("big", "10.0.0.0/8")], []);

        Assert.Equal("pools[0].range \"big\": 10.0.0.0/8 is too large: a pool is at most a /12", Assert.Single(problems).ToString());
        Assert.Throws<ArgumentException>(() => new LeaseTable([Pool("big", "10.0.0.0/8")], []));
    }
}
