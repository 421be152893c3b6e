using System.Diagnostics;
using Relay.LoadGen.Rig;
using Relay.LoadGen.Sessions;

namespace Relay.LoadGen.Traffic;

/// <summary>
/// A pinned thread on side B's socket: counts the probes that come back (whatever tunnel ids they
/// carry), records one-way latency while <see cref="Recording"/> is on, and hands everything else
/// (control messages, PPP control frames) to side B's controller. Nothing is allocated per probe.
/// </summary>
internal sealed class TrafficReceiver
{
    private readonly ClientSide _side;
    private readonly int? _cpu;
    private readonly Thread _thread;
    private volatile bool _stop;
    private volatile bool _recording;
    private long _received;
    private long _bytes;
    private long _foreign;
    private Exception? _failure;

    public TrafficReceiver(ClientSide side, int? cpu)
    {
        _side = side;
        _cpu = cpu;
        _thread = new Thread(Run) { IsBackground = true, Name = "loadgen receiver" };
    }

    public LatencyHistogram Latency { get; } = new();

    public long Received => Volatile.Read(ref _received);

    /// <summary>UDP payload bytes of the probes received (L2TP + PPP + IPv4 packet).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Data messages with an IPv4 frame that is not one of our probes.</summary>
    public long Foreign => Volatile.Read(ref _foreign);

    /// <summary>While true, each probe's latency goes into <see cref="Latency"/>.</summary>
    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    public void Start() => _thread.Start();

    /// <summary>Waits until no probe has arrived for <paramref name="quiet"/> (the queues are drained), at most <paramref name="limit"/>.</summary>
    public void WaitUntilQuiet(TimeSpan quiet, TimeSpan limit)
    {
        var end = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var last = Received;
        var lastChange = Stopwatch.GetTimestamp();
        using var tick = new ManualResetEventSlim();
        while (Stopwatch.GetTimestamp() < end && Stopwatch.GetElapsedTime(lastChange) < quiet)
        {
            tick.Wait(TimeSpan.FromMilliseconds(20));
            var now = Received;
            if (now != last)
            {
                last = now;
                lastChange = Stopwatch.GetTimestamp();
            }
        }
    }

    public void Stop()
    {
        _stop = true;
        _side.Socket.Wake();
        _thread.Join();
        if (_failure is not null)
        {
            throw new InvalidOperationException($"receiver failed: {_failure.Message}", _failure);
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
        var ticksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;
        var lastTick = Stopwatch.GetTimestamp();
        var tickEvery = Stopwatch.Frequency / 100;
        long received = 0;
        long bytes = 0;
        while (!_stop)
        {
            var count = socket.Receive(10);
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var datagram = socket.Datagram(i);
                long sentAt = 0;
                var isPppData = false;
                var isProbe = (datagram[0] & 0x80) == 0 && PacketLayout.TryReadProbe(datagram, out _, out sentAt, out _, out isPppData);
                if (isProbe)
                {
                    received++;
                    bytes += datagram.Length;
                    if (_recording)
                    {
                        Latency.Record((long)((now - sentAt) / ticksPerMicrosecond));
                    }
                }
                else if (isPppData)
                {
                    _foreign++;
                }
                else
                {
                    _side.HandleControl(i);
                }
            }
            Volatile.Write(ref _received, received);
            Volatile.Write(ref _bytes, bytes);
            if (now - lastTick > tickEvery)
            {
                lastTick = now;
                _side.Tick();
            }
        }
    }
}
