using System.Diagnostics;
using System.Net;
using System.Text;
using Relay.Control.L2tp;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Control.Sessions;
using Relay.DataPlane.Sockets;
using Relay.LoadGen.Rig;
using Relay.Topology;

namespace Relay.LoadGen.Sessions;

/// <summary>
/// One load-generator socket and the <see cref="LacController"/> whose tunnels it carries (many
/// tunnels per socket: the LNS tells them apart by tunnel id). The thread that calls
/// <see cref="Dial"/> or <see cref="Service"/> owns both; traffic threads take over through
/// <see cref="Socket"/> and keep calling <see cref="HandleControl"/> and <see cref="Tick"/>.
/// </summary>
internal sealed class ClientSide : IDisposable
{
    private readonly long _epoch = Stopwatch.GetTimestamp();
    private readonly HashSet<ushort> _readyTunnels = [];
    private readonly HashSet<ushort> _failedTunnels = [];
    private int _dialed;

    public ClientSide(string name, NetworkNamespace ns, IPEndPoint local, IPEndPoint lns, BenchCredentials credentials)
    {
        Name = name;
        Controller = new LacController(new LacOptions
        {
            Lns = lns,
            L2tp = new L2tpOptions
            {
                Role = L2tpRole.Lac,
                HostName = $"loadgen-{name}",
                SecretFor = _ => Encoding.UTF8.GetBytes(credentials.TunnelSecret),
                SccrqPerSecondPerSource = 100_000,
            },
            Ppp = new PppOptions
            {
                Role = PppRole.Peer,
                Name = credentials.User,
                AuthMethods = [PppAuthMethod.ChapMd5],
                Credentials = new ClientCredentials(credentials.User, credentials.Password),
            },
        });
        Socket = NamespaceSockets.CreateInside(ns, () => UdpBatchSocket.Bind(local, batchSize: 64, slotLength: 2048));
    }

    public string Name { get; }

    public LacController Controller { get; }

    public UdpBatchSocket Socket { get; }

    public List<SessionReady> Ready { get; } = [];

    public int Failed => _failedTunnels.Count;

    public int Dialed => _dialed;

    /// <summary>Reasons of the first few failures, for the report.</summary>
    public List<string> FailureReasons { get; } = [];

    public TimeSpan Now => Stopwatch.GetElapsedTime(_epoch);

    /// <summary>When the last session became ready (controller time).</summary>
    public TimeSpan LastReadyAt { get; private set; }

    /// <summary>
    /// Dials <paramref name="count"/> tunnels (one session each), keeping at most <paramref name="window"/>
    /// in setup at once, and services the socket until each is ready or has failed, or <paramref name="timeout"/>.
    /// </summary>
    public void Dial(int count, int window, TimeSpan timeout)
    {
        var end = Now + timeout;
        while (Ready.Count + Failed < count && Now < end)
        {
            while (_dialed < count && _dialed - Ready.Count - Failed < window)
            {
                Controller.Dial(Now);
                _dialed++;
            }
            Flush();
            Service(10);
        }
    }

    /// <summary>One round: receive a batch (waiting up to <paramref name="timeoutMs"/>), run timers, send.</summary>
    public void Service(int timeoutMs)
    {
        var count = Socket.Receive(timeoutMs);
        for (var i = 0; i < count; i++)
        {
            HandleControl(i);
        }
        Tick();
    }

    /// <summary>Hands the <paramref name="index"/>-th datagram of the last receive to the controller (control messages and PPP control frames).</summary>
    public void HandleControl(int index)
    {
        var datagram = Socket.Datagram(index);
        var from = Socket.Source(index).ToEndPoint();
        if (datagram.Length >= 1 && (datagram[0] & 0x80) != 0)
        {
            Controller.ReceiveControl(from, datagram, Now);
        }
        else
        {
            Controller.ReceiveData(from, datagram, Now);
        }
        Flush();
    }

    /// <summary>Runs the controller's timers when one is due and sends what it queued.</summary>
    public void Tick()
    {
        var now = Now;
        if (Controller.NextDeadline() is { } at && at <= now)
        {
            Controller.Tick(now);
        }
        Flush();
    }

    public void Dispose() => Socket.Dispose();

    private void Flush()
    {
        var outbox = Controller.Outbox;
        if (outbox.Count > 0)
        {
            foreach (var datagram in outbox)
            {
                Socket.Enqueue(datagram.Payload, UdpPeer.FromEndPoint(datagram.Destination));
            }
            outbox.Clear();
            Socket.Flush();
        }
        while (Controller.L2tpEvents.TryDequeue(out var e))
        {
            if (e is TunnelClosed closed && !_readyTunnels.Contains(closed.TunnelId) && _failedTunnels.Add(closed.TunnelId))
            {
                NoteFailure($"tunnel {closed.TunnelId} closed before its session was ready: {closed.Reason} result {closed.ResultCode} {closed.Message}");
            }
        }
        while (Controller.Events.TryDequeue(out var e))
        {
            switch (e)
            {
                case SessionReady ready:
                    Ready.Add(ready);
                    _readyTunnels.Add(ready.Key.TunnelId);
                    LastReadyAt = Now;
                    break;
                case SessionEnded ended when !ended.WasReady:
                    if (_failedTunnels.Add(ended.Key.TunnelId))
                    {
                        NoteFailure($"session {ended.Key.TunnelId}/{ended.Key.SessionId} ended before ready: {ended.Reason}");
                    }
                    break;
            }
        }
    }

    private void NoteFailure(string reason)
    {
        if (FailureReasons.Count < 5)
        {
            FailureReasons.Add(reason);
        }
    }
}
