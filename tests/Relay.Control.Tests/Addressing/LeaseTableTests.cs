using Relay.Control.Addressing;
using static Relay.Control.Tests.Addressing.Ip;

namespace Relay.Control.Tests.Addressing;

public class LeaseTableTests
{
    // 10.0.0.0/29: usable 10.0.0.1 to 10.0.0.6.
    private static LeaseTable Small() => new([Pool("a", "10.0.0.0/29"), Pool("b", "10.0.1.0/29", "10.0.1.3")], [A("192.0.2.1")]);

    private static uint Lease(LeaseTable table, string pool, SessionKey session)
    {
        Assert.Equal(LeaseResult.Ok, table.TryLease(pool, session, out var address));
        return address;
    }

    [Fact]
    public void Dynamic_leases_come_in_address_order_from_a_fresh_pool()
    {
        var table = Small();

        Assert.Equal(A("10.0.0.1"), Lease(table, "a", S(1, 1)));
        Assert.Equal(A("10.0.0.2"), Lease(table, "a", S(1, 2)));
        Assert.Equal(A("10.0.1.1"), Lease(table, "b", S(2, 1)));
        Assert.Equal(A("10.0.1.2"), Lease(table, "b", S(2, 2)));
        Assert.Equal(A("10.0.1.4"), Lease(table, "b", S(2, 3)));
    }

    [Fact]
    public void A_released_address_is_reused_only_after_every_other_free_address()
    {
        var table = Small();
        var first = Lease(table, "a", S(1, 1));
        Lease(table, "a", S(1, 2));

        Assert.Equal(LeaseResult.Ok, table.Release(S(1, 1)));
        var next = new List<uint>();
        for (ushort i = 3; i <= 7; i++)
        {
            next.Add(Lease(table, "a", S(1, i)));
        }

        Assert.Equal([A("10.0.0.3"), A("10.0.0.4"), A("10.0.0.5"), A("10.0.0.6"), first], next);
    }

    [Fact]
    public void Addresses_released_in_turn_come_back_oldest_release_first()
    {
        var table = Small();
        for (ushort i = 1; i <= 6; i++)
        {
            Lease(table, "a", S(1, i));
        }

        table.Release(S(1, 4));
        table.Release(S(1, 2));
        table.Release(S(1, 5));

        Assert.Equal(A("10.0.0.4"), Lease(table, "a", S(2, 1)));
        Assert.Equal(A("10.0.0.2"), Lease(table, "a", S(2, 2)));
        Assert.Equal(A("10.0.0.5"), Lease(table, "a", S(2, 3)));
    }

    [Fact]
    public void A_slash_29_is_exhausted_exactly_at_its_six_usable_addresses()
    {
        var table = Small();
        for (ushort i = 1; i <= 6; i++)
        {
            Lease(table, "a", S(1, i));
        }

        Assert.Equal(LeaseResult.Exhausted, table.TryLease("a", S(1, 7), out _));
        Assert.True(table.TryGetPool("a", out var pool));
        Assert.Equal((8, 6, 6, 0), (pool.Size, pool.Usable, pool.Used, pool.Free));

        table.Release(S(1, 3));
        Assert.Equal(A("10.0.0.3"), Lease(table, "a", S(1, 7)));
    }

    [Fact]
    public void Leasing_from_an_unknown_pool_or_with_a_zero_id_is_refused()
    {
        var table = Small();

        Assert.Equal(LeaseResult.UnknownPool, table.TryLease("nope", S(1, 1), out _));
        Assert.Equal(LeaseResult.InvalidSession, table.TryLease("a", S(0, 1), out _));
        Assert.Equal(LeaseResult.InvalidSession, table.TryLeaseStatic(S(1, 0), A("10.0.0.1")));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void A_session_holds_one_address_and_asking_again_returns_it()
    {
        var table = Small();
        var address = Lease(table, "a", S(1, 1));

        Assert.Equal(LeaseResult.AlreadyLeased, table.TryLease("b", S(1, 1), out var again));
        Assert.Equal(address, again);
        Assert.Equal(LeaseResult.AlreadyLeased, table.TryLeaseStatic(S(1, 1), A("10.0.0.5")));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_static_address_inside_a_pool_and_free_is_leased_and_skipped_by_dynamic_leases()
    {
        var table = Small();

        Assert.Equal(LeaseResult.Ok, table.TryLeaseStatic(S(9, 9), A("10.0.0.2")));
        Assert.Equal(A("10.0.0.1"), Lease(table, "a", S(1, 1)));
        Assert.Equal(A("10.0.0.3"), Lease(table, "a", S(1, 2)));
        Assert.Equal(3, table.Pools[0].Used);
        Assert.Contains(new Lease(S(9, 9), A("10.0.0.2"), "a", IsStatic: true), table.Leases);
        Assert.Contains(new Lease(S(1, 1), A("10.0.0.1"), "a", IsStatic: false), table.Leases);
    }

    [Fact]
    public void A_static_address_outside_every_pool_taken_excluded_or_reserved_is_refused_with_the_reason()
    {
        var table = new LeaseTable([Pool("a", "10.0.0.0/29"), Pool("b", "10.0.1.0/29", "10.0.1.3", "10.0.1.2")], [A("10.0.1.2")]);
        Lease(table, "a", S(1, 1));

        Assert.Equal(LeaseResult.NotInAnyPool, table.TryLeaseStatic(S(2, 1), A("10.0.2.1")));
        Assert.Equal(LeaseResult.AddressInUse, table.TryLeaseStatic(S(2, 1), A("10.0.0.1")));
        Assert.Equal(LeaseResult.Excluded, table.TryLeaseStatic(S(2, 1), A("10.0.1.3")));
        Assert.Equal(LeaseResult.Reserved, table.TryLeaseStatic(S(2, 1), A("10.0.1.2")));
        Assert.Equal(LeaseResult.Reserved, table.TryLeaseStatic(S(2, 1), A("10.0.0.0")));
        Assert.Equal(LeaseResult.Reserved, table.TryLeaseStatic(S(2, 1), A("10.0.0.7")));
        Assert.False(table.TryFindAddress(S(2, 1), out _));
    }

    [Fact]
    public void A_released_static_address_goes_to_the_end_of_the_free_list()
    {
        var table = Small();
        table.TryLeaseStatic(S(9, 9), A("10.0.0.1"));
        table.Release(S(9, 9));

        var order = new List<uint>();
        for (ushort i = 1; i <= 6; i++)
        {
            order.Add(Lease(table, "a", S(1, i)));
        }

        Assert.Equal(A("10.0.0.1"), order[^1]);
    }

    [Fact]
    public void Release_frees_the_address_both_ways_and_a_second_release_is_a_no_op()
    {
        var table = Small();
        var address = Lease(table, "a", S(1, 1));

        Assert.Equal(LeaseResult.Ok, table.Release(S(1, 1), out var released));
        Assert.Equal(address, released);
        Assert.False(table.TryFindSession(address, out _));
        Assert.False(table.TryFindAddress(S(1, 1), out _));
        Assert.Equal(0, table.Pools[0].Used);
        Assert.Equal(LeaseResult.NotLeased, table.Release(S(1, 1)));
        Assert.Equal(LeaseResult.NotLeased, table.Release(S(7, 7)));
        Assert.Equal(0, table.Pools[0].Used);
    }

    [Fact]
    public void A_released_session_can_lease_again()
    {
        var table = Small();
        Lease(table, "a", S(1, 1));
        table.Release(S(1, 1));

        var address = Lease(table, "b", S(1, 1));

        Assert.Equal(A("10.0.1.1"), address);
        Assert.True(table.TryFindAddress(S(1, 1), out var found));
        Assert.Equal(address, found);
    }

    [Fact]
    public void Lookups_find_the_session_by_address_and_the_address_by_session()
    {
        var table = Small();
        var a = Lease(table, "a", S(1, 1));
        var b = Lease(table, "b", S(2, 1));

        Assert.True(table.TryFindSession(a, out var sa));
        Assert.Equal(S(1, 1), sa);
        Assert.True(table.TryFindSession(b, out var sb));
        Assert.Equal(S(2, 1), sb);
        Assert.True(table.TryFindAddress(S(2, 1), out var found));
        Assert.Equal(b, found);
        Assert.False(table.TryFindSession(A("10.0.0.6"), out _));
        Assert.False(table.TryFindSession(A("10.0.0.0"), out _));
        Assert.False(table.TryFindSession(A("192.0.2.1"), out _));
        Assert.False(table.TryFindSession(0, out _));
        Assert.False(table.TryFindSession(uint.MaxValue, out _));
        Assert.True(table.TryFindPool(b, out var pool));
        Assert.Equal("b", pool.Name);
    }

    [Fact]
    public void A_pool_added_at_reload_leases_and_a_clashing_one_is_refused_with_the_reason()
    {
        var table = Small();

        Assert.Empty(table.TryAddPool(new PoolDefinition("pub", P("198.51.100.0/30"), PoolRealm.Public)));
        Assert.Equal(A("198.51.100.1"), Lease(table, "pub", S(1, 1)));
        Assert.True(table.TryFindSession(A("198.51.100.1"), out _));

        var problems = table.TryAddPool(Pool("c", "10.0.0.0/30"));
        Assert.Equal("pools[3].range \"c\": 10.0.0.0/30 overlaps pools[0] \"a\" 10.0.0.0/29", Assert.Single(problems).ToString());
        Assert.False(table.TryGetPool("c", out _));
    }

    [Fact]
    public void A_pool_holding_leases_is_removed_only_once_drained_and_empty()
    {
        var table = Small();
        Lease(table, "a", S(1, 1));

        Assert.Equal(LeaseResult.PoolInUse, table.TryRemovePool("a"));
        Assert.Equal(LeaseResult.Ok, table.Drain("a"));
        Assert.Equal(LeaseResult.PoolDraining, table.TryLease("a", S(1, 2), out _));
        Assert.Equal(LeaseResult.PoolDraining, table.TryLeaseStatic(S(1, 2), A("10.0.0.3")));
        Assert.Equal(LeaseResult.PoolInUse, table.TryRemovePool("a"));

        table.Release(S(1, 1));
        Assert.Equal(LeaseResult.Ok, table.TryRemovePool("a"));
        Assert.Equal(LeaseResult.UnknownPool, table.TryLease("a", S(1, 2), out _));
        Assert.Equal(LeaseResult.NotInAnyPool, table.TryLeaseStatic(S(1, 2), A("10.0.0.3")));
        Assert.Equal(LeaseResult.UnknownPool, table.TryRemovePool("a"));
        Assert.Equal(LeaseResult.UnknownPool, table.Drain("a"));
        Assert.Equal(["b"], table.Pools.Select(p => p.Name));
    }
}
