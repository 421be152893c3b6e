using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using Relay.Client.Hosting;
using Relay.Control.L2tp;
using Relay.Control.Sessions;
using Relay.DataPlane.Sockets;
using Relay.DataPlane.Stun;
using Relay.DataPlane.Tun;

namespace Relay.Client.Tunnel;

/// <summary>
/// relay-client's life: NAT discovery decides (invention [0025]–[0026]); then either nothing to carry
/// (direct: hooks only) or the tunnel: dial relayd with <see cref="LacController"/> over one UDP socket,
/// bring up TUN with the IPCP address, the negotiated MRU as MTU, and the routes, run the up hook, and carry
/// IP between TUN and the session. A lost session or tunnel (HELLO or LCP echo unanswered, CDN or StopCCN
/// from relayd, relayd restarted) tears the interface down and redials after a capped, jittered backoff.
/// SIGTERM sends CDN and StopCCN, removes routes and TUN, and runs the down hook. One thread does all of it.
/// </summary>
internal sealed partial class ClientRunner : IDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LostStopWait = TimeSpan.FromSeconds(1);
    private const int MaxPollMs = 1000;
    private const int Burst = 64;

    private readonly ClientSettings _settings;
    private readonly Log _log;
    private readonly ShutdownSignal _signal;
    private readonly HookRunner _hooks;
    private readonly Backoff _backoff;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly byte[] _receive = new byte[65536];
    private readonly byte[] _send = new byte[DataFraming.Headroom + 65536];
    private Socket? _socket;
    private string _decisionText = "tunnel";
    private string _decisionReason = "";

    public ClientRunner(ClientSettings settings, Log log, ShutdownSignal signal)
    {
        _settings = settings;
        _log = log;
        _signal = signal;
        _hooks = new HookRunner(TimeSpan.FromSeconds(settings.Config.Hooks.TimeoutSeconds), log);
        _backoff = new Backoff(TimeSpan.FromMilliseconds(settings.Config.Reconnect.InitialDelayMs),
            TimeSpan.FromMilliseconds(settings.Config.Reconnect.MaxDelayMs), Random.Shared);
    }

    public DataCounters Counters { get; } = new();

    private TimeSpan Now => Stopwatch.GetElapsedTime(_start);

    public int Run()
    {
        var decision = Decide();
        if (decision == NatDecision.Direct)
        {
            return RunDirect();
        }
        try
        {
            _socket = OpenSocket();
        }
        catch (SocketException e)
        {
            _log.Error($"tunnel.localPort: cannot open udp {_settings.Config.Tunnel.LocalPort} towards {_settings.Relay}: {e.Message}");
            return 1;
        }
        _log.Info($"l2tp: udp {_socket.LocalEndPoint} -> relay {_settings.Relay}");
        var attempts = 0;
        while (!_signal.IsSet)
        {
            attempts++;
            RunAttempt();
            if (_signal.IsSet)
            {
                break;
            }
            var delay = _backoff.Next();
            _log.Info($"reconnecting in {delay.TotalMilliseconds:F0} ms (failure {_backoff.Failures} in a row)");
            Idle(delay);
        }
        _log.Info($"stopped after {attempts} connection attempt(s): {Counters}");
        return 0;
    }

    public void Dispose() => _socket?.Dispose();

    private NatDecision Decide()
    {
        switch (_settings.Config.Mode)
        {
            case "never":
                _decisionText = "direct";
                _decisionReason = "mode never";
                _log.Info("decision direct: mode never (no NAT discovery, no tunnel)");
                return NatDecision.Direct;
            case "always":
                _decisionReason = "mode always";
                _log.Info("decision tunnel: mode always (no NAT discovery)");
                return NatDecision.Tunnel;
        }
        var result = NatProbe.Run(_settings.ProbeOptions());
        _decisionText = result.Decision == NatDecision.Tunnel ? "tunnel" : "direct";
        _decisionReason = result.Reason;
        _log.Info($"nat probe via {_settings.Stun}: decision {_decisionText}: {result.Reason}");
        return result.Decision;
    }

    /// <summary>No tunnel needed: the up hook lets IPsec start directly; we wait for SIGTERM and run the down hook.</summary>
    private unsafe int RunDirect()
    {
        _hooks.Run("up", _settings.Config.Hooks.Up, Environment("up", null));
        var fd = new Native.PollFd { Fd = _signal.Fd, Events = Native.POLLIN };
        while (!_signal.IsSet)
        {
            _ = Native.poll(&fd, 1, -1);
        }
        _hooks.Run("down", _settings.Config.Hooks.Down, Environment("down", null));
        _log.Info("stopped (direct: no tunnel was opened)");
        return 0;
    }

    private Socket OpenSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Any, _settings.Config.Tunnel.LocalPort));
            // connect(2): the kernel fills in the source address and hands us only relayd's datagrams.
            socket.Connect(_settings.Relay);
            socket.Blocking = false;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Waits out a backoff delay, waking only for SIGTERM; datagrams of the old tunnel are read and discarded.</summary>
    private unsafe void Idle(TimeSpan delay)
    {
        var end = Now + delay;
        var fds = stackalloc Native.PollFd[2];
        while (!_signal.IsSet && Now < end)
        {
            fds[0] = new Native.PollFd { Fd = (int)_socket!.Handle, Events = Native.POLLIN };
            fds[1] = new Native.PollFd { Fd = _signal.Fd, Events = Native.POLLIN };
            _ = Native.poll(fds, 2, (int)Math.Ceiling((end - Now).TotalMilliseconds));
            while (_socket.Receive(_receive, SocketFlags.None, out var error) >= 0 && error == SocketError.Success)
            {
            }
        }
    }

    private Dictionary<string, string> Environment(string hookEvent, SessionReady? ready)
    {
        var environment = new Dictionary<string, string>
        {
            ["RELAY_EVENT"] = hookEvent,
            ["RELAY_DECISION"] = _decisionText,
            ["RELAY_REASON"] = _decisionReason,
            ["RELAY_SERVER"] = _settings.Relay.ToString(),
            ["RELAY_ROUTES"] = string.Join(' ', _settings.Routes),
        };
        if (ready is not null)
        {
            environment["RELAY_INTERFACE"] = _settings.Config.Tun.Name;
            environment["RELAY_LOCAL_ADDRESS"] = ready.LocalAddress.ToString();
            environment["RELAY_PEER_ADDRESS"] = ready.PeerAddress.ToString();
            environment["RELAY_MTU"] = ready.Mru.ToString(System.Globalization.CultureInfo.InvariantCulture);
            environment["RELAY_DNS"] = string.Join(' ', ready.Dns);
        }
        return environment;
    }

    private static string Describe(TunnelClosed closed)
        => $"tunnel closed ({closed.Reason}{(closed.ResultCode is null ? "" : $", result {closed.ResultCode}")}{(closed.Message is null ? "" : $" \"{closed.Message}\"")})";
}
