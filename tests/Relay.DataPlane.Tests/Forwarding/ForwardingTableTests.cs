using Relay.Control.Addressing;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;

namespace Relay.DataPlane.Tests.Forwarding;

/// <summary>The control loop edits a shadow and publishes immutable snapshots; workers read without locks.</summary>
public class ForwardingTableTests
{
    [Fact]
    public void Edits_are_invisible_to_workers_until_published()
    {
        var table = new ForwardingTable([Packets.Pool], workers: 1);
        var before = table.Current;
        table.Ready(Packets.KeyA, Packets.PeerA, 1, 2, false, Packets.AddressA);

        Assert.Null(table.Current.Find(Packets.KeyA.TunnelId, Packets.KeyA.SessionId));
        var after = table.Publish();

        Assert.Same(after, table.Current);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.NotNull(after.Find(Packets.KeyA.TunnelId, Packets.KeyA.SessionId));
        Assert.Null(before.Find(Packets.KeyA.TunnelId, Packets.KeyA.SessionId));
        Assert.Same(after, table.Publish()); // nothing changed: no new snapshot
    }

    [Fact]
    public void Ending_a_session_unroutes_its_ids_and_address_and_a_new_lease_of_the_address_routes_to_the_new_session()
    {
        var table = Packets.Hub();
        var old = table.Current;
        table.End(Packets.KeyB);
        table.Publish();
        Assert.Null(table.Current.Find(Packets.KeyB.TunnelId, Packets.KeyB.SessionId));
        Assert.True(table.Current.TryRoute(Packets.AddressB, out var nobody));
        Assert.Null(nobody);
        Assert.True(old.TryRoute(Packets.AddressB, out var stillThere)); // an old snapshot keeps its view
        Assert.Equal(Packets.KeyB, stillThere!.Key);

        var keyC = new SessionKey(103, 203);
        table.Ready(keyC, Packets.PeerB, 5, 6, false, Packets.AddressB);
        table.End(Packets.KeyA);
        table.Publish();
        Assert.True(table.Current.TryRoute(Packets.AddressB, out var c));
        Assert.Equal(keyC, c!.Key);
        Assert.True(table.Current.TryRoute(Packets.AddressA, out var a));
        Assert.Null(a);
        Assert.False(table.Current.TryRoute(Packets.Outside, out _));
    }

    [Fact]
    public void Republishing_a_session_keeps_its_counters_and_Ns()
    {
        var table = new ForwardingTable([Packets.Pool], workers: 2);
        var pending = table.Establish(Packets.KeyA, Packets.PeerA, 1, 2, true, nextNs: 40);
        pending.Traffic.TakeNs();
        var ready = table.Ready(Packets.KeyA, Packets.PeerA, 1, 2, true, Packets.AddressA);
        Assert.NotSame(pending, ready);
        Assert.Same(pending.Traffic, ready.Traffic);
        Assert.Equal(41, ready.Traffic.PeekNs);
    }

    [Fact]
    public void Many_sessions_in_a_large_pool_are_all_found_by_ids_and_by_address()
    {
        var pool = Ipv4Prefix.Parse("10.64.0.0/12");
        var table = new ForwardingTable([Packets.Pool, pool], workers: 1);
        for (var i = 1; i <= 5000; i++)
        {
            table.Ready(new SessionKey((ushort)(i % 300 + 1), (ushort)i), UdpPeer.FromIPv4(0xCB000000u + (uint)i, 1701), 1, 1, false,
                pool.Network + (uint)(i * 97));
        }
        var snapshot = table.Publish();
        Assert.Equal(5000, snapshot.Count);
        for (var i = 1; i <= 5000; i++)
        {
            Assert.Equal((ushort)i, snapshot.Find((ushort)(i % 300 + 1), (ushort)i)!.Key.SessionId);
            Assert.True(snapshot.TryRoute(pool.Network + (uint)(i * 97), out var entry));
            Assert.Equal((ushort)i, entry!.Key.SessionId);
        }
        Assert.Null(snapshot.Find(1, 6000));
    }

    [Fact]
    public void A_reader_never_sees_a_torn_snapshot_while_the_control_loop_publishes()
    {
        // Every generation g publishes sessions 1..64 with peer ids (g, g) and addresses that
        // route back to the same entries; a reader checks one snapshot is one generation.
        var pool = Ipv4Prefix.Parse("10.1.0.0/16");
        var table = new ForwardingTable([pool], workers: 1);
        const int Sessions = 64;
        using var stop = new CancellationTokenSource();
        long checks = 0;
        Exception? failure = null;
        var reader = new Thread(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var snapshot = table.Current;
                    if (snapshot.Count == 0)
                    {
                        continue;
                    }
                    var first = snapshot.Find(1, 1)!;
                    var generation = first.PeerTunnelId;
                    for (ushort s = 1; s <= Sessions; s++)
                    {
                        var entry = snapshot.Find(1, s);
                        if (entry is null || entry.PeerTunnelId != generation || entry.PeerSessionId != generation
                            || !snapshot.TryRoute(pool.Network + s, out var routed) || !ReferenceEquals(routed, entry))
                        {
                            throw new InvalidOperationException($"torn snapshot {snapshot.Version} at session {s}");
                        }
                    }
                    checks++;
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        reader.Start();
        var deadline = DateTime.UtcNow.AddMilliseconds(700);
        ushort g = 1;
        while (DateTime.UtcNow < deadline && failure is null)
        {
            for (ushort s = 1; s <= Sessions; s++)
            {
                table.Ready(new SessionKey(1, s), Packets.PeerA, g, g, false, pool.Network + s);
            }
            table.Publish();
            g = (ushort)(g % 60000 + 1);
        }
        stop.Cancel();
        reader.Join();
        Assert.Null(failure);
        Assert.True(checks > 0 && g > 2, $"{checks} reads over {g} generations");
    }
}
