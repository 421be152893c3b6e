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
internal sealed class ControllerDriver(LacController controller, Socket socket) : RealTimeDriver(socket)
{
    public LacController Controller { get; } = controller;

    /// <summary>Every session event the controller reported, in order.</summary>
    public List<SessionEvent> Events { get; } = [];

    /// <summary>Every raw L2TP event, in order.</summary>
    public List<L2tpEvent> L2tpEvents { get; } = [];

    /// <summary>Every PPP control frame sent or received in a data message: direction, protocol and code (RFC 1661 §5).</summary>
    public List<(bool Sent, ushort Protocol, byte Code)> PppFrames { get; } = [];

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

    /// <summary>Every data message carrying a network-layer PPP frame (IPv4...) received, whole, in order (the data plane's traffic).</summary>
    public List<byte[]> NetworkData { get; } = [];

    /// <summary>Sends a datagram the test built (data-plane traffic) from the driver's socket.</summary>
    public void SendRaw(IPEndPoint destination, byte[] datagram) => Send(destination, datagram, $"raw {datagram.Length} bytes");

    protected override TimeSpan? NextDeadline() => Controller.NextDeadline();

    protected override void Tick(TimeSpan now) => Controller.Tick(now);

    protected override string EventSummary() => string.Join("; ", Events);

    protected override void Receive(IPEndPoint from, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        NoteLine($"<- {from} {Describe(sent: false, datagram)}");
        if (datagram.Length >= 1 && (datagram[0] & 0x80) == 0 && L2tpHeader.TryParse(datagram, out var data) == L2tpParseStatus.Ok
            && PppFrame.Parse(datagram.Slice(data.PayloadStart, data.PayloadLength), out var network) == PppFrameStatus.Ok
            && PppProtocol.IsNetworkLayer(network.Protocol))
        {
            NetworkData.Add(datagram.ToArray());
        }
        if (datagram.Length >= 1 && (datagram[0] & 0x80) != 0)
        {
            Controller.ReceiveControl(from, datagram, now);
        }
        else
        {
            Controller.ReceiveData(from, datagram, now);
        }
    }

    protected override void Flush()
    {
        foreach (var datagram in Controller.Outbox)
        {
            Send(datagram.Destination, datagram.Payload, Describe(sent: true, datagram.Payload));
        }
        Controller.Outbox.Clear();
        while (Controller.L2tpEvents.TryDequeue(out var e))
        {
            NoteEvent("l2tp event", e);
            L2tpEvents.Add(e);
        }
        while (Controller.Events.TryDequeue(out var e))
        {
            NoteEvent("event", e is SessionReady r ? $"{e} (dns {string.Join(", ", r.Dns)})" : e);
            Events.Add(e);
        }
    }

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
