using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Relay.Control.L2tp;
using Relay.Control.Sessions;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.EndToEnd.Tests.Support;

/// <summary>
/// Drives a <see cref="LacController"/> (L2TP LAC + PPP peer) in real time over a UDP socket on the
/// test thread, like <see cref="EngineDriver"/>: Stopwatch time, the socket polled until the
/// controller's next deadline, datagrams dispatched by the T bit (control to the L2TP engine, data
/// messages to PPP), the outbox sent after every call. Nothing sleeps.
/// </summary>
internal sealed class ControllerDriver : IDisposable
{
    private static readonly TimeSpan MaxPollWait = TimeSpan.FromMilliseconds(100);
    private readonly Socket _socket;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly byte[] _buffer = new byte[65536];
    private readonly StringBuilder _trace = new();

    public ControllerDriver(LacController controller, Socket socket)
    {
        Controller = controller;
        _socket = socket;
    }

    public LacController Controller { get; }

    public TimeSpan Now => Stopwatch.GetElapsedTime(_start);

    /// <summary>Every session event the controller reported, in order.</summary>
    public List<SessionEvent> Events { get; } = [];

    /// <summary>Every raw L2TP event, in order.</summary>
    public List<L2tpEvent> L2tpEvents { get; } = [];

    /// <summary>Every PPP control frame sent or received in a data message: direction, protocol and code (RFC 1661 §5).</summary>
    public List<(bool Sent, ushort Protocol, byte Code)> PppFrames { get; } = [];

    /// <summary>One line per datagram sent or received and per event, for assertion messages.</summary>
    public string Trace => _trace.ToString();

    /// <summary>Calls into the controller with the current time, then sends what it queued.</summary>
    public T Do<T>(Func<LacController, TimeSpan, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var result = action(Controller, Now);
        Flush();
        return result;
    }

    /// <summary>Like <see cref="Do{T}"/> for calls without a result.</summary>
    public void Do(Action<LacController, TimeSpan> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        action(Controller, Now);
        Flush();
    }

    /// <summary>Runs the controller until a session event of type <typeparamref name="T"/> matching <paramref name="match"/> has been reported.</summary>
    public T WaitFor<T>(TimeSpan timeout, Func<T, bool>? match = null)
        where T : SessionEvent
    {
        T? found = null;
        RunUntil(() => (found = Events.OfType<T>().FirstOrDefault(e => match is null || match(e))) is not null, timeout, typeof(T).Name);
        return found!;
    }

    /// <summary>Runs the controller until <paramref name="done"/> holds; fails with the trace after <paramref name="timeout"/>.</summary>
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
            if (Controller.NextDeadline() is { } deadline)
            {
                var untilDeadline = deadline - now;
                wait = untilDeadline < wait ? untilDeadline : wait;
            }
            wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxPollWait ? MaxPollWait : wait;
            if (_socket.Poll(wait, SelectMode.SelectRead))
            {
                ReceiveAvailable();
            }
            Controller.Tick(Now);
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
            var peer = (IPEndPoint)from;
            Note("<-", peer, datagram);
            if (received >= 1 && (datagram[0] & 0x80) != 0)
            {
                Controller.ReceiveControl(peer, datagram, Now);
            }
            else
            {
                Controller.ReceiveData(peer, datagram, Now);
            }
            Flush();
        }
    }

    private void Flush()
    {
        foreach (var datagram in Controller.Outbox)
        {
            Note("->", datagram.Destination, datagram.Payload);
            _socket.SendTo(datagram.Payload, datagram.Destination);
        }
        Controller.Outbox.Clear();
        while (Controller.L2tpEvents.TryDequeue(out var e))
        {
            _trace.AppendLine(CultureInfo.InvariantCulture, $"{Now.TotalMilliseconds,8:F0} ms l2tp event {e}");
            L2tpEvents.Add(e);
        }
        while (Controller.Events.TryDequeue(out var e))
        {
            var text = e is SessionReady r ? $"{e} (dns {string.Join(", ", r.Dns)})" : e.ToString();
            _trace.AppendLine(CultureInfo.InvariantCulture, $"{Now.TotalMilliseconds,8:F0} ms event {text}");
            Events.Add(e);
        }
    }

    private void Note(string direction, IPEndPoint peer, ReadOnlySpan<byte> datagram)
        => _trace.AppendLine(CultureInfo.InvariantCulture, $"{Now.TotalMilliseconds,8:F0} ms {direction} {peer} {Describe(direction == "->", datagram)}");

    private string Describe(bool sent, ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length >= 1 && (datagram[0] & 0x80) != 0)
        {
            return L2tpControlMessage.TryParse(datagram, out var message) is L2tpParseStatus.Ok
                ? message.IsZeroLengthBody
                    ? $"ZLB Ns={message.Header.Ns} Nr={message.Header.Nr}"
                    : $"{message.MessageType} Ns={message.Header.Ns} Nr={message.Header.Nr} tunnel={message.Header.TunnelId}"
                : $"unparsed control {datagram.Length} bytes";
        }
        if (L2tpHeader.TryParse(datagram, out var header) != L2tpParseStatus.Ok
            || PppFrame.Parse(datagram.Slice(header.PayloadStart, header.PayloadLength), out var frame) != PppFrameStatus.Ok)
        {
            return $"unparsed data {datagram.Length} bytes";
        }
        var info = frame.Information;
        var name = frame.Protocol switch
        {
            PppProtocol.Lcp => "LCP",
            PppProtocol.Pap => "PAP",
            PppProtocol.Chap => "CHAP",
            PppProtocol.Ipcp => "IPCP",
            _ => $"protocol 0x{frame.Protocol:x4}",
        };
        var codeAndId = "";
        if (PppProtocol.IsControl(frame.Protocol) && info.Length >= 2)
        {
            PppFrames.Add((sent, frame.Protocol, info[0]));
            codeAndId = $" code {info[0]} id {info[1]}";
        }
        return $"data {header.TunnelId}/{header.SessionId} {name}{codeAndId} ({info.Length} bytes)";
    }
}
