using Relay.Control.Addressing;
using static Relay.Control.Tests.Addressing.Ip;

namespace Relay.Control.Tests.Addressing;

/// <summary>Reload of the pools (<see cref="LeaseTable.TryReconcile"/>): every lease survives, or nothing changes.</summary>
public class LeaseTableReconcileTests
{
    private static readonly uint[] Server = [A("192.0.2.1")];

    private static LeaseTable Table(out uint leased)
    {
        var table = new LeaseTable([Pool("a", "10.0.0.0/29"), Pool("b", "10.0.1.0/29")], Server);
        Assert.Equal(LeaseResult.Ok, table.TryLease("a", S(1, 1), out leased));
        return table;
    }

    [Fact]
    public void A_grown_pool_keeps_its_leases_a_new_pool_is_added_and_an_unused_one_removed()
    {
        var table = Table(out var leased);
        Assert.Equal(LeaseResult.Ok, table.TryLeaseStatic(S(1, 2), A("10.0.0.5")));

        var problems = table.TryReconcile([Pool("a", "10.0.0.0/28"), Pool("c", "10.0.2.0/29")], out var changes);

        Assert.Empty(problems);
        Assert.Equal(["c"], changes.Added);
        Assert.Equal(["a"], changes.Changed);
        Assert.Equal(["b"], changes.Removed);
        Assert.Equal(["a", "c"], table.Pools.Select(p => p.Name));
        Assert.True(table.TryGetPool("a", out var a));
        Assert.Equal(16, a.Size);
        Assert.Equal(2, a.Used);
        Assert.True(table.TryFindSession(leased, out var holder) && holder == S(1, 1));
        Assert.Contains(table.Leases, l => l.Address == A("10.0.0.5") && l.IsStatic);
        Assert.Contains(table.Leases, l => l.Address == leased && !l.IsStatic);
        // The adopted addresses are taken: new leases skip them.
        Assert.Equal(LeaseResult.AddressInUse, table.TryLeaseStatic(S(1, 3), leased));
        Assert.Equal(LeaseResult.Ok, table.Release(S(1, 1)));
        Assert.Equal(1, a.Used);
    }

    [Fact]
    public void A_pool_gone_from_the_list_while_leased_drains_and_leaves_with_its_last_lease()
    {
        var table = Table(out _);

        var problems = table.TryReconcile([Pool("b", "10.0.1.0/29")], out var changes);

        Assert.Empty(problems);
        Assert.Equal(["a"], changes.Draining);
        Assert.True(table.TryGetPool("a", out var a) && a.IsDraining);
        Assert.Equal(LeaseResult.PoolDraining, table.TryLease("a", S(1, 2), out _));
        Assert.Equal(LeaseResult.Ok, table.Release(S(1, 1)));
        Assert.False(table.TryGetPool("a", out _));
        Assert.Equal(["b"], table.Pools.Select(p => p.Name));
    }

    [Fact]
    public void A_pool_back_in_the_list_stops_draining()
    {
        var table = Table(out _);
        table.TryReconcile([Pool("b", "10.0.1.0/29")], out _);

        var problems = table.TryReconcile([Pool("a", "10.0.0.0/29"), Pool("b", "10.0.1.0/29")], out var changes);

        Assert.Empty(problems);
        Assert.Equal(["a"], changes.Changed);
        Assert.True(table.TryGetPool("a", out var a) && !a.IsDraining);
        Assert.Equal(LeaseResult.Ok, table.TryLease("a", S(1, 2), out _));
    }

    [Fact]
    public void A_definition_that_strands_a_lease_or_overlaps_a_draining_pool_changes_nothing()
    {
        var table = Table(out var leased);

        var stranded = table.TryReconcile([Pool("a", "10.0.0.0/29", "10.0.0.1"), Pool("b", "10.0.1.0/29")], out _);
        Assert.Equal("pools[0]", Assert.Single(stranded).Path);
        Assert.Contains("leaves out 1 leased address(es) (first 10.0.0.1)", stranded[0].Message, StringComparison.Ordinal);

        var overlap = table.TryReconcile([Pool("b", "10.0.1.0/29"), Pool("z", "10.0.0.0/24")], out _);
        Assert.Equal("pools[1].range", Assert.Single(overlap).Path);
        Assert.Contains("still holds 1 leases", overlap[0].Message, StringComparison.Ordinal);

        var invalid = table.TryReconcile([Pool("a", "10.0.0.0/29"), Pool("a", "10.0.5.0/29")], out _);
        Assert.Equal("pools[1].name", Assert.Single(invalid).Path);

        Assert.Equal(["a", "b"], table.Pools.Select(p => p.Name));
        Assert.True(table.TryGetPool("a", out var a) && !a.IsDraining && a.Size == 8);
        Assert.True(table.TryFindSession(leased, out _));
    }

    [Fact]
    public void Drain_with_remove_when_empty_removes_an_unused_pool_at_once()
    {
        var table = Table(out _);

        Assert.Equal(LeaseResult.Ok, table.Drain("b", removeWhenEmpty: true));
        Assert.False(table.TryGetPool("b", out _));
        Assert.Equal(LeaseResult.Ok, table.Drain("a", removeWhenEmpty: true));
        Assert.True(table.TryGetPool("a", out _));
        Assert.Equal(LeaseResult.UnknownPool, table.Drain("nope", removeWhenEmpty: true));
    }
}
