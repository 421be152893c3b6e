using Relay.Control.Sessions;
using Relay.DataPlane.Tun;

namespace Relay.Client.Tunnel;

internal sealed partial class ClientRunner
{
    private TunDevice? _tun;
    private SessionReady? _ready;
    private ushort _tunnelId;
    private ushort _sessionId;
    private ushort _peerTunnelId;
    private ushort _peerSessionId;
    private bool _sequenced;
    private ushort _nextNs;

    /// <summary>
    /// IPCP is open: TUN with our address, relayd's as the point-to-point peer, the negotiated MRU as MTU
    /// (so the kernel never hands us a packet the link cannot carry), the routes, then the up hook.
    /// </summary>
    private void BringUp(SessionReady ready)
    {
        var name = _settings.Config.Tun.Name;
        try
        {
            _tun = TunDevice.Open(name);
            InterfaceSetup.SetAddress(name, ready.LocalAddress, 32);
            InterfaceSetup.SetPeerAddress(name, ready.PeerAddress);
            InterfaceSetup.SetMtu(name, ready.Mru);
            DisableIpv6(name);
            InterfaceSetup.SetUp(name);
            foreach (var route in _settings.Routes)
            {
                InterfaceSetup.AddRoute(name, route.Network, route.PrefixLength);
            }
        }
        catch (TunException e)
        {
            _log.Error($"tun.name {name}: {e.Message}");
            _tun?.Dispose();
            _tun = null;
            _lost ??= $"cannot set up {name}: {e.Message}";
            return;
        }
        _ready = ready;
        _tunnelId = ready.Key.TunnelId;
        _sessionId = ready.Key.SessionId;
        _peerTunnelId = ready.PeerTunnelId;
        _peerSessionId = ready.PeerSessionId;
        _sequenced = ready.DataSequencing;
        _nextNs = 0;
        _backoff.Reset();
        _log.Info($"tunnel up: {name} address {ready.LocalAddress} peer {ready.PeerAddress} mtu {ready.Mru}; routes {(_settings.Routes.Count == 0 ? "none" : string.Join(", ", _settings.Routes))}; l2tp session {ready.Key.TunnelId}/{ready.Key.SessionId} (relayd {ready.PeerTunnelId}/{ready.PeerSessionId})");
        _hooks.Run("up", _settings.Config.Hooks.Up, Environment("up", ready));
    }

    /// <summary>
    /// PPP here carries IPv4 only (IPV6CP is refused), so the kernel's IPv6 chatter on the interface
    /// (router solicitations) would only be dropped: best effort, the sysctl may be absent.
    /// </summary>
    private static void DisableIpv6(string name)
    {
        try
        {
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{name}/disable_ipv6", "1");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No IPv6 in this kernel or namespace: nothing to silence.
        }
    }

    /// <summary>Routes, then TUN (the kernel removes the interface with its last queue), then the down hook.</summary>
    private void TearDownInterface(string reason)
    {
        if (_tun is null)
        {
            return;
        }
        var name = _settings.Config.Tun.Name;
        foreach (var route in _settings.Routes)
        {
            try
            {
                InterfaceSetup.DeleteRoute(name, route.Network, route.PrefixLength);
            }
            catch (TunException e)
            {
                _log.Warn($"route {route} via {name}: {e.Message}");
            }
        }
        _tun.Dispose();
        _tun = null;
        var ready = _ready;
        _ready = null;
        _tunnelId = _sessionId = 0;
        _log.Info($"tunnel down: {name} removed ({reason}); {Counters}");
        _hooks.Run("down", _settings.Config.Hooks.Down, Environment("down", ready));
    }
}
