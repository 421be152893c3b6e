using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Relay.EndToEnd.Tests.Support;

/// <summary>
/// The real-time loop shared by the test drivers of sans-I/O engines: Stopwatch time, the socket
/// polled until the engine's next deadline (at most 100 ms), every datagram handed in as it
/// arrives, the engine ticked and its outbox sent after every step. Nothing sleeps. A trace of
/// datagrams and events goes into timeout messages.
/// </summary>
internal abstract class RealTimeDriver : IDisposable
{
    private static readonly TimeSpan MaxPollWait = TimeSpan.FromMilliseconds(100);
    private readonly Socket _socket;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly byte[] _buffer = new byte[65536];
    private readonly StringBuilder _trace = new();

    protected RealTimeDriver(Socket socket) => _socket = socket;

    public TimeSpan Now => Stopwatch.GetElapsedTime(_start);

    /// <summary>One line per datagram sent or received and per event, for assertion messages.</summary>
    public string Trace => _trace.ToString();

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
                throw new TimeoutException($"no {what} within {timeout}. Events: {EventSummary()}\nTrace:\n{Trace}");
            }
            var wait = end - now;
            if (NextDeadline() is { } deadline)
            {
                var untilDeadline = deadline - now;
                wait = untilDeadline < wait ? untilDeadline : wait;
            }
            wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxPollWait ? MaxPollWait : wait;
            if (_socket.Poll(wait, SelectMode.SelectRead))
            {
                ReceiveAvailable();
            }
            Tick(Now);
            Flush();
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>The engine's next timer, or null.</summary>
    protected abstract TimeSpan? NextDeadline();

    protected abstract void Tick(TimeSpan now);

    /// <summary>Hands one received datagram to the engine.</summary>
    protected abstract void Receive(IPEndPoint from, ReadOnlySpan<byte> datagram, TimeSpan now);

    /// <summary>Sends the engine's outbox (through <see cref="Send"/>) and collects its events (noting them with <see cref="NoteEvent"/>).</summary>
    protected abstract void Flush();

    protected abstract string EventSummary();

    protected void Send(IPEndPoint destination, byte[] payload, string description)
    {
        NoteLine($"-> {destination} {description}");
        _socket.SendTo(payload, destination);
    }

    protected void NoteEvent(string kind, object e) => NoteLine($"{kind} {e}");

    protected void NoteLine(string line) => _trace.AppendLine(CultureInfo.InvariantCulture, $"{Now.TotalMilliseconds,8:F0} ms {line}");

    private void ReceiveAvailable()
    {
        while (_socket.Available > 0)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var received = _socket.ReceiveFrom(_buffer, ref from);
            Receive((IPEndPoint)from, _buffer.AsSpan(0, received), Now);
            Flush();
        }
    }
}
