using Relay.DataPlane.Forwarding;

namespace Relay.DataPlane.Bpf;

// Keeping the kernel maps in step with the forwarding table.
public sealed partial class FastPath
{
    // What the kernel maps hold now, by ForwardingEntry.PackedKey and by leased address (host order).
    private readonly Dictionary<uint, BpfSession> _installed = [];
    private readonly Dictionary<uint, uint> _installedRoutes = [];
    private readonly Dictionary<uint, BpfSession> _wanted = [];
    private readonly Dictionary<uint, uint> _wantedRoutes = [];
    private readonly Dictionary<uint, FastPathTraffic> _folded = [];
    private ForwardingPolicy? _policy;
    private bool _policyInKernel;

    /// <summary>Sessions the kernel forwards for now.</summary>
    public int SessionCount => _installed.Count;

    /// <summary>
    /// Makes the kernel maps match <paramref name="snapshot"/>: call after every
    /// <see cref="ForwardingTable.Publish"/> that returned a new version. Only ready sessions with
    /// an IPv4 peer enter the kernel; the others stay with user space (their packets pass). Adds
    /// and changes go in before routes point at them; routes go before the sessions they name.
    /// When the policy has more rules than the kernel program holds, no session is installed and
    /// everything takes the user-space path.
    /// </summary>
    public void Sync(ForwardingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!ReferenceEquals(snapshot.Policy, _policy))
        {
            WriteConfig(snapshot.Policy);
        }
        _wanted.Clear();
        _wantedRoutes.Clear();
        if (_policyInKernel)
        {
            foreach (var entry in snapshot.Slots)
            {
                if (entry is null || !entry.IsReady || entry.Peer.IsIPv6)
                {
                    continue;
                }
                _wanted[entry.PackedKey] = ToKernel(entry);
                _wantedRoutes[entry.LeasedAddress] = entry.PackedKey;
            }
        }
        foreach (var (packed, session) in _wanted)
        {
            if (_installed.TryGetValue(packed, out var old) && old.Equals(session))
            {
                continue;
            }
            var key = Key(packed);
            if (!_installed.ContainsKey(packed))
            {
                BpfMap.UpdatePerCpu(_traffic, TrafficMap, key, default(BpfTraffic));
            }
            BpfMap.Update(_sessions, SessionsMap, key, session);
            _installed[packed] = session;
        }
        foreach (var (address, packed) in _wantedRoutes)
        {
            if (_installedRoutes.TryGetValue(address, out var old) && old == packed)
            {
                continue;
            }
            BpfMap.Update(_routes, RoutesMap, BpfLayout.Be(address), Key(packed));
            _installedRoutes[address] = packed;
        }
        foreach (var address in _installedRoutes.Keys)
        {
            if (!_wantedRoutes.ContainsKey(address))
            {
                BpfMap.Delete(_routes, BpfLayout.Be(address));
                _installedRoutes.Remove(address);
            }
        }
        foreach (var packed in _installed.Keys)
        {
            if (!_wanted.ContainsKey(packed))
            {
                // Still a session (it left the kernel, not the table): keep what the kernel counted.
                if (snapshot.Find((ushort)(packed >> 16), (ushort)packed) is { } leaving)
                {
                    Fold(packed, leaving.Traffic);
                }
                _folded.Remove(packed);
                var key = Key(packed);
                BpfMap.Delete(_sessions, key);
                BpfMap.Delete(_traffic, key);
                _installed.Remove(packed);
            }
        }
    }

    /// <summary>
    /// Adds what the kernel counted for each session since the last fold to its
    /// <see cref="SessionTraffic"/>, so the API's session counters include fast-path traffic.
    /// Call on the control loop (same thread as <see cref="Sync"/>), e.g. once a second and before
    /// the API reads counters.
    /// </summary>
    public void Fold(ForwardingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var packed in _installed.Keys)
        {
            if (snapshot.Find((ushort)(packed >> 16), (ushort)packed) is { } entry)
            {
                Fold(packed, entry.Traffic);
            }
        }
    }

    private void Fold(uint packed, SessionTraffic traffic)
    {
        var now = ReadTraffic(new Relay.Control.Addressing.SessionKey((ushort)(packed >> 16), (ushort)packed));
        var before = _folded.GetValueOrDefault(packed);
        traffic.AddFastPath(now.ReceivedPackets - before.ReceivedPackets, now.ReceivedBytes - before.ReceivedBytes,
            now.SentPackets - before.SentPackets, now.SentBytes - before.SentBytes, now.Drops - before.Drops);
        _folded[packed] = now;
    }

    private static BpfSessionKey Key(uint packed) => BpfSessionKey.From((ushort)(packed >> 16), (ushort)packed);

    internal static BpfSession ToKernel(ForwardingEntry entry) => new()
    {
        PeerAddress = BpfLayout.Be(entry.Peer.IPv4),
        PeerPort = BpfLayout.Be(entry.Peer.Port),
        Flags = entry.DataSequencing ? BpfSession.Sequencing : (ushort)0,
        LeasedAddress = BpfLayout.Be(entry.LeasedAddress),
        PeerTunnelId = BpfLayout.Be(entry.PeerTunnelId),
        PeerSessionId = BpfLayout.Be(entry.PeerSessionId),
    };

    private void WriteConfig(ForwardingPolicy policy)
    {
        var config = new BpfConfig
        {
            Flags = _options.Reflect ? BpfConfig.Reflect : 0,
            LocalAddress = BpfLayout.Be(_options.LocalAddress),
        };
        var rules = policy.Rules;
        _policyInKernel = rules.Length <= BpfConfig.MaxRules;
        if (_policyInKernel)
        {
            for (var i = 0; i < rules.Length; i++)
            {
                config.SetRule(i, new BpfRule
                {
                    Protocol = rules[i].Protocol,
                    RequireUdpEncapsulation = rules[i].RequireUdpEncapsulation ? (byte)1 : (byte)0,
                    FirstPort = rules[i].FirstPort,
                    LastPort = rules[i].LastPort,
                });
            }
            config.RuleCount = (uint)rules.Length;
        }
        BpfMap.Update(_config, ConfigMap, 0u, config);
        _policy = policy;
    }
}
