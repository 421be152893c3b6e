using Relay.Control.Addressing;
using Relay.DataPlane.Forwarding;

namespace Relay.DataPlane.Tests.Forwarding;

/// <summary>Pools added or removed at run time reach the address index at the next publish.</summary>
public class PoolChangeTests
{
    private static readonly Ipv4Prefix Added = Ipv4Prefix.Parse("10.9.0.0/24");
    private const uint InAdded = 0x0A_09_00_05; // 10.9.0.5

    [Fact]
    public void An_address_of_a_pool_added_at_run_time_routes_after_the_publish()
    {
        var table = new ForwardingTable([Packets.Pool], workers: 1);
        // A session that already holds an address in the range before the pool reaches the table.
        table.Ready(Packets.KeyB, Packets.PeerB, 7, 8, false, InAdded);
        table.Publish();
        Assert.False(table.Current.TryRoute(InAdded, out _));

        table.SetPools([Packets.Pool, Added]);
        Assert.False(table.Current.TryRoute(InAdded, out _)); // not before the publish
        table.Publish();

        Assert.True(table.Current.TryRoute(InAdded, out var target));
        Assert.Equal(Packets.KeyB, target!.Key);

        var keyC = new SessionKey(103, 203);
        table.Ready(keyC, Packets.PeerA, 9, 10, false, InAdded + 1);
        table.Publish();
        Assert.True(table.Current.TryRoute(InAdded + 1, out var c));
        Assert.Equal(keyC, c!.Key);
    }

    [Fact]
    public void A_kept_pool_keeps_its_routes_and_a_removed_pool_stops_routing()
    {
        var table = new ForwardingTable([Packets.Pool, Added], workers: 1);
        table.Ready(Packets.KeyA, Packets.PeerA, 1, 2, false, Packets.AddressA);
        table.Ready(Packets.KeyB, Packets.PeerB, 3, 4, false, InAdded);
        table.Publish();

        table.SetPools([Packets.Pool]);
        table.Publish();

        Assert.True(table.Current.TryRoute(Packets.AddressA, out var a));
        Assert.Equal(Packets.KeyA, a!.Key);
        Assert.False(table.Current.TryRoute(InAdded, out _));
        Assert.NotNull(table.Current.Find(Packets.KeyB.TunnelId, Packets.KeyB.SessionId)); // its session itself is untouched
    }
}
