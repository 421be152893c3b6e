using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Relay.Control.L2tp;
using Relay.Wire.L2tp;

namespace Relay.EndToEnd.Tests.Support;

/// <summary>
/// Drives an <see cref="L2tpEngine"/> in real time over a UDP socket on the test thread: Stopwatch
/// time, the socket polled until the engine's next deadline, the outbox sent after every call.
/// Data messages (T bit clear, e.g. a peer's LCP) are counted and dropped. Nothing sleeps.
/// </summary>
internal sealed class EngineDriver : IDisposable
{
    private static readonly TimeSpan MaxPollWait = TimeSpan.FromMilliseconds(100);
    private readonly Socket _socket;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly byte[] _buffer = new byte[65536];
    private readonly StringBuilder _trace = new();

    public EngineDriver(L2tpEngine engine, Socket socket)
    {
        Engine = engine;
        _socket = socket;
    }

    public L2tpEngine Engine { get; }

    public TimeSpan Now => Stopwatch.GetElapsedTime(_start);

    /// <summary>Every event the engine reported, in order.</summary>
    public List<L2tpEvent> Events { get; } = [];

    /// <summary>Tunnel and session ids of every data message received (RFC 2661 §3.1 header).</summary>
    public List<(ushort TunnelId, ushort SessionId)> DataMessages { get; } = [];

    /// <summary>One line per datagram sent or received, for assertion messages.</summary>
    public string Trace => _trace.ToString();

    /// <summary>Calls into the engine with the current time, then sends what it queued.</summary>
    public T Do<T>(Func<L2tpEngine, TimeSpan, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var result = action(Engine, Now);
        Flush();
        return result;
    }

    /// <summary>Runs the engine until an event of type <typeparamref name="T"/> matching <paramref name="match"/> has been reported.</summary>
    public T WaitFor<T>(TimeSpan timeout, Func<T, bool>? match = null)
        where T : L2tpEvent
    {
        T? found = null;
        RunUntil(() => (found = Events.OfType<T>().FirstOrDefault(e => match is null || match(e))) is not null, timeout, typeof(T).Name);
        return found!;
    }

    /// <summary>Runs the engine until <paramref name="done"/> holds; fails with the trace after <paramref name="timeout"/>.</summary>
    public void RunUntil(Func<bool> done, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(done);
        var end = Now + timeout;
        while (!done())
        {
            var now = Now;
            if (now >= end)
            {
                throw new TimeoutException($"no {what} within {timeout}. Events: {string.Join("; ", Events)}\nTrace:\n{Trace}");
            }
            var wait = end - now;
            if (Engine.NextDeadline() is { } deadline)
            {
                var untilDeadline = deadline - now;
                wait = untilDeadline < wait ? untilDeadline : wait;
            }
            wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxPollWait ? MaxPollWait : wait;
            if (_socket.Poll(wait, SelectMode.SelectRead))
            {
                ReceiveAvailable();
            }
            Engine.Tick(Now);
            Flush();
        }
    }

    public void Dispose() => _socket.Dispose();

    private void ReceiveAvailable()
    {
        while (_socket.Available > 0)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var received = _socket.ReceiveFrom(_buffer, ref from);
            var datagram = _buffer.AsSpan(0, received);
            if (received >= 1 && (datagram[0] & 0x80) == 0)
            {
                NoteDataMessage(datagram);
                continue;
            }
            Note("<-", (IPEndPoint)from, datagram);
            Engine.Receive((IPEndPoint)from, datagram, Now);
            Flush();
        }
    }

    private void Flush()
    {
        foreach (var datagram in Engine.Outbox)
        {
            Note("->", datagram.Destination, datagram.Payload);
            _socket.SendTo(datagram.Payload, datagram.Destination);
        }
        Engine.Outbox.Clear();
        while (Engine.Events.TryDequeue(out var e))
        {
            _trace.AppendLine(CultureInfo.InvariantCulture, $"{Now.TotalMilliseconds,8:F0} ms event {e}");
            Events.Add(e);
        }
    }

    private void NoteDataMessage(ReadOnlySpan<byte> datagram)
    {
        var ids = (datagram[0] & 0x40) != 0 ? 4 : 2; // after the optional Length field
        if (datagram.Length >= ids + 4)
        {
            DataMessages.Add((BinaryPrimitives.ReadUInt16BigEndian(datagram[ids..]), BinaryPrimitives.ReadUInt16BigEndian(datagram[(ids + 2)..])));
        }
    }

    private void Note(string direction, IPEndPoint peer, ReadOnlySpan<byte> datagram)
    {
        var what = L2tpControlMessage.TryParse(datagram, out var message) is L2tpParseStatus.Ok
            ? message.IsZeroLengthBody
                ? $"ZLB Ns={message.Header.Ns} Nr={message.Header.Nr}"
                : $"{message.MessageType} Ns={message.Header.Ns} Nr={message.Header.Nr} tunnel={message.Header.TunnelId}"
            : $"unparsed {datagram.Length} bytes";
        _trace.AppendLine(CultureInfo.InvariantCulture, $"{Now.TotalMilliseconds,8:F0} ms {direction} {peer} {what}");
    }
}
