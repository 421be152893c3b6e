using Relay.Control.Addressing;
using Relay.DataPlane.Tun;

namespace Relay.Server.Lns;

/// <summary>
/// Pools change at run time (POST/DELETE /v1/pools, reload, a drained pool leaving with its last
/// lease). Once per control-loop turn, before the publish, the forwarding table's address index
/// and the TUN device's routes are brought in line with the lease table's pools, so an address
/// leased from a new pool forwards like any other.
/// </summary>
internal sealed partial class LnsService
{
    private List<Ipv4Prefix> _routedPools = [];

    private void SyncPools()
    {
        var pools = _controller.Leases.Pools;
        if (SameRanges(pools, _routedPools))
        {
            return;
        }
        var ranges = new List<Ipv4Prefix>(pools.Count);
        foreach (var pool in pools)
        {
            ranges.Add(pool.Range);
        }
        Table.SetPools(ranges);
        if (_tun is not null)
        {
            foreach (var range in ranges)
            {
                if (!_routedPools.Contains(range))
                {
                    Route(range, add: true);
                }
            }
            foreach (var range in _routedPools)
            {
                if (!ranges.Contains(range))
                {
                    Route(range, add: false);
                }
            }
        }
        _log.Info($"dataplane: pools now {(ranges.Count == 0 ? "none" : string.Join(", ", ranges))}");
        _routedPools = ranges;
    }

    private void Route(Ipv4Prefix range, bool add)
    {
        try
        {
            var network = Ipv4Address.ToIPAddress(range.Network);
            if (add)
            {
                InterfaceSetup.AddRoute(_tun!.Name, network, range.PrefixLength);
            }
            else
            {
                InterfaceSetup.DeleteRoute(_tun!.Name, network, range.PrefixLength);
            }
        }
        catch (TunException e)
        {
            _log.Warn($"dataplane: {e.Message}");
        }
    }

    private static bool SameRanges(IReadOnlyList<AddressPool> pools, List<Ipv4Prefix> routed)
    {
        if (pools.Count != routed.Count)
        {
            return false;
        }
        for (var i = 0; i < pools.Count; i++)
        {
            if (!pools[i].Range.Equals(routed[i]))
            {
                return false;
            }
        }
        return true;
    }
}
