using System.Diagnostics;
using Relay.DataPlane.Sockets;
using Relay.LoadGen.Rig;
using Relay.LoadGen.Sessions;

namespace Relay.LoadGen.Traffic;

/// <summary>
/// A pinned thread that sends the flows round-robin from side A's socket in sendmmsg batches of up
/// to 64, flat out or at a fixed rate (paced per batch against the clock), each datagram stamped
/// with its send time and sequence number. Every 16 batches it services side A's controller (HELLO,
/// LCP echo) without blocking. Nothing is allocated per packet.
/// </summary>
internal sealed class TrafficSender
{
    private const int Batch = 64;
    private readonly ClientSide _side;
    private readonly Flow[] _flows;
    private readonly UdpPeer _destination;
    private readonly double _ratePps;
    private readonly int? _cpu;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _sent;
    private Exception? _failure;

    /// <param name="ratePps">Datagrams per second; 0 = flat out.</param>
    public TrafficSender(ClientSide side, Flow[] flows, UdpPeer destination, double ratePps, int? cpu)
    {
        _side = side;
        _flows = flows;
        _destination = destination;
        _ratePps = ratePps;
        _cpu = cpu;
        _thread = new Thread(Run) { IsBackground = true, Name = "loadgen sender" };
    }

    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Datagrams the kernel refused (ENOBUFS and the like) over the socket's life.</summary>
    public long SendErrors => _side.Socket.SendErrors;

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stop = true;
        _thread.Join();
        if (_failure is not null)
        {
            throw new InvalidOperationException($"sender failed: {_failure.Message}", _failure);
        }
    }

    private void Run()
    {
        try
        {
            if (_cpu is { } cpu)
            {
                CpuAffinity.PinCurrentThread(cpu);
            }
            Loop();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            _failure = e;
        }
    }

    private void Loop()
    {
        var socket = _side.Socket;
        Span<byte> buffer = stackalloc byte[2048];
        var start = Stopwatch.GetTimestamp();
        var ticksPerPacket = _ratePps > 0 ? Stopwatch.Frequency / _ratePps : 0;
        long sent = 0;
        var next = 0;
        var batches = 0;
        while (!_stop)
        {
            var n = Batch;
            if (ticksPerPacket > 0)
            {
                var allowed = (long)((Stopwatch.GetTimestamp() - start) / ticksPerPacket) - sent;
                if (allowed <= 0)
                {
                    // Yield, not spin: the receiver may share this CPU, and spinning would delay it (and the latency figures).
                    Thread.Yield();
                    continue;
                }
                n = allowed < Batch ? (int)allowed : Batch;
            }
            for (var k = 0; k < n; k++)
            {
                var flow = _flows[next];
                next = next + 1 == _flows.Length ? 0 : next + 1;
                var datagram = buffer[..flow.Length];
                flow.Template.AsSpan(0, flow.Length).CopyTo(datagram);
                PacketLayout.Stamp(datagram, flow.ProbeOffset, flow.Index, Stopwatch.GetTimestamp(), sent + k);
                socket.Enqueue(datagram, _destination);
            }
            socket.Flush();
            sent += n;
            Volatile.Write(ref _sent, sent);
            if (++batches % 16 == 0)
            {
                var received = socket.Receive(0);
                for (var i = 0; i < received; i++)
                {
                    _side.HandleControl(i);
                }
                _side.Tick();
            }
        }
    }
}
