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
internal sealed class EngineDriver(L2tpEngine engine, Socket socket) : RealTimeDriver(socket)
{
    public L2tpEngine Engine { get; } = engine;

    /// <summary>Every event the engine reported, in order.</summary>
    public List<L2tpEvent> Events { get; } = [];

    /// <summary>Tunnel and session ids of every data message received (RFC 2661 §3.1 header).</summary>
    public List<(ushort TunnelId, ushort SessionId)> DataMessages { get; } = [];

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

    protected override TimeSpan? NextDeadline() => Engine.NextDeadline();

    protected override void Tick(TimeSpan now) => Engine.Tick(now);

    protected override string EventSummary() => string.Join("; ", Events);

    protected override void Receive(IPEndPoint from, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        if (datagram.Length >= 1 && (datagram[0] & 0x80) == 0)
        {
            NoteDataMessage(datagram);
            return;
        }
        NoteLine($"<- {from} {Describe(datagram)}");
        Engine.Receive(from, datagram, now);
    }

    protected override void Flush()
    {
        foreach (var datagram in Engine.Outbox)
        {
            Send(datagram.Destination, datagram.Payload, Describe(datagram.Payload));
        }
        Engine.Outbox.Clear();
        while (Engine.Events.TryDequeue(out var e))
        {
            NoteEvent("event", e);
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

    private static string Describe(ReadOnlySpan<byte> datagram)
        => L2tpControlMessage.TryParse(datagram, out var message) is L2tpParseStatus.Ok
            ? message.IsZeroLengthBody
                ? $"ZLB Ns={message.Header.Ns} Nr={message.Header.Nr}"
                : $"{message.MessageType} Ns={message.Header.Ns} Nr={message.Header.Nr} tunnel={message.Header.TunnelId}"
            : $"unparsed {datagram.Length} bytes";
}
