using Relay.Control.Addressing;
using Relay.Control.L2tp;
using Relay.Control.Sessions;
using Relay.DataPlane.Sockets;

namespace Relay.DataPlane.Forwarding;

/// <summary>
/// The forwarding table: the control loop edits it (<see cref="Establish(SessionEstablished)"/>,
/// <see cref="Ready(SessionReady)"/>, <see cref="End"/>) and calls <see cref="Publish"/> once per
/// loop turn; workers only ever read <see cref="Current"/>, without a lock. Edits touch a shadow
/// copy owned by the control loop; <see cref="Publish"/> builds an immutable
/// <see cref="ForwardingSnapshot"/> and swaps it in with <see cref="Volatile.Write{T}(ref T, T)"/>.
/// Not thread-safe for writers: one control loop owns it.
/// </summary>
public sealed class ForwardingTable
{
    private readonly Dictionary<SessionKey, ForwardingEntry> _sessions = [];
    private readonly Dictionary<uint, ForwardingEntry?> _addressChanges = [];
    private readonly int _workers;
    private AddressIndex[] _pools;
    private ForwardingPolicy _policy;
    private bool _kernelRoute;
    private bool _dirty;
    private ForwardingSnapshot _current;

    /// <param name="pools">The lease pools' ranges (<c>LeaseTable.Pools[i].Range</c>): the direct address index covers them.</param>
    /// <param name="workers">Worker count: each session keeps one counter slot per worker.</param>
    public ForwardingTable(IReadOnlyList<Ipv4Prefix> pools, int workers, ForwardingPolicy? policy = null, bool kernelRoute = false)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _workers = workers;
        _pools = new AddressIndex[pools.Count];
        for (var i = 0; i < pools.Count; i++)
        {
            var size = pools[i].Size;
            if (size > 1UL << (32 - AddressPool.MinPrefixLength))
            {
                throw new ArgumentException($"pool {pools[i]} is larger than a /{AddressPool.MinPrefixLength}", nameof(pools));
            }
            var pages = (int)((size + AddressIndex.PageSize - 1) / AddressIndex.PageSize);
            _pools[i] = new AddressIndex(pools[i].Network, (uint)size, new ForwardingEntry?[]?[pages]);
        }
        _policy = policy ?? ForwardingPolicy.IpsecOnly;
        _kernelRoute = kernelRoute;
        _current = Build(0);
    }

    /// <summary>
    /// Raised on the control loop after each publish that changed something, with the new
    /// snapshot (for mirrors of the table such as the eBPF maps, and for the control API).
    /// </summary>
    public event Action<ForwardingSnapshot>? Published;

    /// <summary>Every session in the shadow copy (published or not): control loop only.</summary>
    public IEnumerable<ForwardingEntry> Entries => _sessions.Values;

    /// <summary>The snapshot workers use: read it once per batch.</summary>
    public ForwardingSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Sessions in the shadow copy (published or not).</summary>
    public int Count => _sessions.Count;

    public bool TryGet(SessionKey key, out ForwardingEntry? entry) => _sessions.TryGetValue(key, out entry);

    /// <summary>
    /// The L2TP session is up and PPP is starting: PPP control frames on it may reach the control
    /// loop through the workers; IPv4 is dropped (SessionNotReady) until <see cref="Ready(SessionReady)"/>.
    /// </summary>
    public ForwardingEntry Establish(SessionEstablished established)
    {
        ArgumentNullException.ThrowIfNull(established);
        return Establish(new SessionKey(established.TunnelId, established.SessionId), UdpPeer.FromEndPoint(established.Peer),
            established.PeerTunnelId, established.PeerSessionId, established.DataSequencing);
    }

    public ForwardingEntry Establish(SessionKey key, UdpPeer peer, ushort peerTunnelId, ushort peerSessionId, bool dataSequencing, ushort nextNs = 0)
        => Put(key, peer, peerTunnelId, peerSessionId, dataSequencing, 0, nextNs);

    /// <summary>PPP is open and an address is leased: IPv4 flows, and the address routes to this session.</summary>
    public ForwardingEntry Ready(SessionReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        return Ready(ready.Key, UdpPeer.FromEndPoint(ready.Peer), ready.PeerTunnelId, ready.PeerSessionId,
            ready.DataSequencing, Ipv4Address.FromIPAddress(ready.PeerAddress));
    }

    public ForwardingEntry Ready(SessionKey key, UdpPeer peer, ushort peerTunnelId, ushort peerSessionId, bool dataSequencing,
        uint leasedAddress, ushort nextNs = 0)
    {
        if (leasedAddress == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(leasedAddress), "a ready session has an address");
        }
        return Put(key, peer, peerTunnelId, peerSessionId, dataSequencing, leasedAddress, nextNs);
    }

    /// <summary>The session is gone: its ids and its address stop routing at the next publish.</summary>
    public bool End(SessionKey key)
    {
        if (!_sessions.Remove(key, out var old))
        {
            return false;
        }
        ClearAddress(old);
        _dirty = true;
        return true;
    }

    public bool End(SessionEnded ended)
    {
        ArgumentNullException.ThrowIfNull(ended);
        return End(ended.Key);
    }

    /// <summary>
    /// The pools changed at run time (control API or reload): the address index covers exactly
    /// <paramref name="pools"/> from the next publish. A pool that stays keeps its index pages; a new
    /// one gets the sessions that already hold addresses in it; addresses outside every pool stop
    /// routing to sessions. Takes effect at the next publish.
    /// </summary>
    public void SetPools(IReadOnlyList<Ipv4Prefix> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var next = new AddressIndex[pools.Count];
        var fresh = new List<int>();
        for (var i = 0; i < pools.Count; i++)
        {
            var size = pools[i].Size;
            if (size > 1UL << (32 - AddressPool.MinPrefixLength))
            {
                throw new ArgumentException($"pool {pools[i]} is larger than a /{AddressPool.MinPrefixLength}", nameof(pools));
            }
            var kept = Array.Find(_pools, p => p.First == pools[i].Network && p.Length == (uint)size);
            if (kept.Pages is not null)
            {
                next[i] = kept;
                continue;
            }
            var pages = (int)((size + AddressIndex.PageSize - 1) / AddressIndex.PageSize);
            next[i] = new AddressIndex(pools[i].Network, (uint)size, new ForwardingEntry?[]?[pages]);
            fresh.Add(i);
        }
        _pools = next;
        foreach (var entry in _sessions.Values)
        {
            foreach (var i in fresh)
            {
                if (entry.LeasedAddress != 0 && entry.LeasedAddress - next[i].First < next[i].Length)
                {
                    _addressChanges[entry.LeasedAddress] = entry;
                }
            }
        }
        _dirty = true;
    }

    /// <summary>Replaces the policy (configuration reload); takes effect at the next publish.</summary>
    public void SetPolicy(ForwardingPolicy policy, bool kernelRoute)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _kernelRoute = kernelRoute;
        _dirty = true;
    }

    /// <summary>
    /// Makes every edit since the last publish visible to workers at once. Costs one pass over the
    /// sessions plus a copy of each changed address page; does nothing when nothing changed.
    /// </summary>
    public ForwardingSnapshot Publish()
    {
        if (!_dirty)
        {
            return _current;
        }
        var next = Build(_current.Version + 1);
        _dirty = false;
        Volatile.Write(ref _current, next);
        Published?.Invoke(next);
        return next;
    }

    private ForwardingEntry Put(SessionKey key, UdpPeer peer, ushort peerTunnelId, ushort peerSessionId, bool dataSequencing,
        uint leasedAddress, ushort nextNs)
    {
        if (!key.IsValid)
        {
            throw new ArgumentOutOfRangeException(nameof(key), key, "tunnel and session ids are non-zero");
        }
        var traffic = _sessions.TryGetValue(key, out var old) ? old.Traffic : new SessionTraffic(_workers, nextNs);
        var entry = new ForwardingEntry(key, peer, peerTunnelId, peerSessionId, dataSequencing, leasedAddress, traffic);
        if (old is not null && old.LeasedAddress != leasedAddress)
        {
            ClearAddress(old);
        }
        _sessions[key] = entry;
        if (leasedAddress != 0)
        {
            _addressChanges[leasedAddress] = entry;
        }
        _dirty = true;
        return entry;
    }

    private void ClearAddress(ForwardingEntry old)
    {
        if (old.LeasedAddress == 0)
        {
            return;
        }
        // Only if the address still routes to this session (a new lease may already own it).
        var owner = _addressChanges.TryGetValue(old.LeasedAddress, out var pending)
            ? pending
            : _current.TryRoute(old.LeasedAddress, out var published) ? published : null;
        if (owner is not null && owner.Key == old.Key)
        {
            _addressChanges[old.LeasedAddress] = null;
        }
    }

    private ForwardingSnapshot Build(long version)
    {
        var buckets = new ForwardingEntry?[ForwardingSnapshot.BucketCount(_sessions.Count)];
        foreach (var entry in _sessions.Values)
        {
            ForwardingSnapshot.Insert(buckets, entry);
        }
        if (_addressChanges.Count > 0)
        {
            _pools = ApplyAddressChanges(_pools, _addressChanges);
            _addressChanges.Clear();
        }
        return new ForwardingSnapshot(version, buckets, _pools, _sessions.Count, _policy, _kernelRoute);
    }

    private static AddressIndex[] ApplyAddressChanges(AddressIndex[] current, Dictionary<uint, ForwardingEntry?> changes)
    {
        var pools = (AddressIndex[])current.Clone();
        var copiedDirectory = new bool[pools.Length];
        var copiedPages = new HashSet<(int Pool, uint Page)>();
        foreach (var (address, entry) in changes)
        {
            for (var p = 0; p < pools.Length; p++)
            {
                var offset = address - pools[p].First;
                if (offset >= pools[p].Length)
                {
                    continue;
                }
                if (!copiedDirectory[p])
                {
                    pools[p] = new AddressIndex(pools[p].First, pools[p].Length, (ForwardingEntry?[]?[])pools[p].Pages.Clone());
                    copiedDirectory[p] = true;
                }
                var pageNumber = offset >> AddressIndex.PageBits;
                ref var page = ref pools[p].Pages[pageNumber];
                if (copiedPages.Add((p, pageNumber)))
                {
                    page = page is null ? new ForwardingEntry?[AddressIndex.PageSize] : (ForwardingEntry?[])page.Clone();
                }
                page![offset & (AddressIndex.PageSize - 1)] = entry;
                break;
            }
        }
        return pools;
    }
}
