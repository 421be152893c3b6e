using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Relay.DataPlane.Stun;

/// <summary>
/// NAT discovery for IPsec (invention [0025]; RFC 5389 Binding): from each IKE source port (4500, 500)
/// and from the L2TP port (1701), a Binding request goes to the relay's STUN service. A NAT is present
/// when the server saw another address or port than we sent from. The tunnel is needed when a NAT
/// rewrites IKE's ports, or when IKE's ports get no answer while the L2TP port does (a firewall that
/// blocks IKE). <see cref="Run"/> does the I/O (cold path, once per connection set-up);
/// <see cref="Decide"/> is the pure decision, shared by relay-client and relayctl.
/// </summary>
public static class NatProbe
{
    public static NatProbeResult Run(NatProbeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ports = new List<int>(options.IkePorts);
        if (options.ControlPort != 0 && !ports.Contains(options.ControlPort))
        {
            ports.Add(options.ControlPort);
        }
        var probes = new Probe[ports.Count];
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                probes[i] = Probe.Open(ports[i], options);
            }
            Exchange(probes, options);
        }
        finally
        {
            foreach (var probe in probes)
            {
                probe?.Socket?.Dispose();
            }
        }
        var observed = new PortProbe[probes.Length];
        for (var i = 0; i < probes.Length; i++)
        {
            observed[i] = probes[i].Result();
        }
        return Decide(observed, options.IkePorts, options.ControlPort, options.Server);
    }

    /// <summary>
    /// The decision from what each port saw. <paramref name="ikePorts"/> and <paramref name="controlPort"/>
    /// say which observations are which; <paramref name="server"/> is named in the reason.
    /// </summary>
    public static NatProbeResult Decide(IReadOnlyList<PortProbe> observed, IReadOnlyList<int> ikePorts, int controlPort, IPEndPoint server)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(ikePorts);
        ArgumentNullException.ThrowIfNull(server);
        PortProbe? control = null;
        var ike = new List<PortProbe>();
        foreach (var probe in observed)
        {
            if (ikePorts.Contains(probe.Port))
            {
                ike.Add(probe);
            }
            else if (probe.Port == controlPort)
            {
                control = probe;
            }
        }
        var answered = ike.FindAll(p => p.Outcome == PortProbeOutcome.Answered);
        var translated = answered.Find(p => p.Translated);
        if (translated is not null)
        {
            return Result(true, translated, NatDecision.Tunnel,
                $"nat: the relay saw udp {translated.Port} as {translated.Mapped}, sent from {translated.Local}");
        }
        var unanswered = ike.FindAll(p => p.Outcome is PortProbeOutcome.NoAnswer or PortProbeOutcome.ErrorResponse or PortProbeOutcome.SendFailed);
        var busy = ike.FindAll(p => p.Outcome == PortProbeOutcome.PortInUse);
        if (answered.Count > 0 && unanswered.Count == 0)
        {
            var basis = answered[0];
            var reason = $"no nat: udp {Ports(answered)} reached {server} unchanged ({basis.Mapped})";
            return Result(false, basis, NatDecision.Direct, busy.Count == 0 ? reason : $"{reason}; udp {Ports(busy)} in use locally, not probed");
        }
        var controlAnswered = control is { Outcome: PortProbeOutcome.Answered };
        if (unanswered.Count > 0)
        {
            if (answered.Count > 0)
            {
                return Result(false, answered[0], NatDecision.Tunnel,
                    $"udp {Ports(unanswered)} blocked: no answer from {server} while udp {Ports(answered)} was answered");
            }
            if (controlAnswered)
            {
                return Result(control!.Translated, control, NatDecision.Tunnel,
                    $"ike blocked: no answer from {server} to udp {Ports(unanswered)} but an answer to udp {control.Port}");
            }
            return Result(null, null, NatDecision.Tunnel,
                $"no answer from {server} on any port ({Ports(observed)}): cannot tell, so the tunnel is tried ({Details(observed)})");
        }
        // Every IKE port is held locally (an IKE daemon runs): judge by the L2TP port's mapping.
        if (controlAnswered)
        {
            var nat = control!.Translated;
            return Result(nat, control, nat ? NatDecision.Tunnel : NatDecision.Direct,
                $"udp {Ports(busy)} in use locally (an IKE daemon?); judged from udp {control.Port}: " +
                (nat ? $"nat, the relay saw {control.Mapped}, sent from {control.Local}" : $"no nat ({control.Mapped})"));
        }
        return Result(null, null, NatDecision.Tunnel,
            $"no port could be judged ({Details(observed)}): cannot tell, so the tunnel is tried");

        NatProbeResult Result(bool? nat, PortProbe? basis, NatDecision decision, string reason)
            => new(nat, basis?.Mapped, basis?.Local, decision, reason, observed);
    }

    private static string Ports(IEnumerable<PortProbe> probes) => string.Join(", ", probes.Select(p => p.Port));

    private static string Details(IEnumerable<PortProbe> probes)
        => string.Join("; ", probes.Select(p => $"udp {p.Port}: {OutcomeText(p)}"));

    private static string OutcomeText(PortProbe p) => p.Outcome switch
    {
        PortProbeOutcome.Answered => $"mapped {p.Mapped}",
        PortProbeOutcome.NoAnswer => "no answer",
        PortProbeOutcome.PortInUse => "in use locally",
        PortProbeOutcome.SendFailed => $"send failed{(p.Detail is null ? "" : $" ({p.Detail})")}",
        _ => $"error response{(p.Detail is null ? "" : $" ({p.Detail})")}",
    };

    private static void Exchange(Probe[] probes, NatProbeOptions options)
    {
        var start = Stopwatch.GetTimestamp();
        var interval = options.InitialRetransmit;
        var nextSend = TimeSpan.Zero;
        var buffer = new byte[2048];
        var address = new byte[16];
        var readable = new List<Socket>(probes.Length);
        while (true)
        {
            var now = Stopwatch.GetElapsedTime(start);
            if (now >= options.Timeout || Array.TrueForAll(probes, p => p.Done))
            {
                return;
            }
            if (now >= nextSend)
            {
                foreach (var probe in probes)
                {
                    probe.Send();
                }
                nextSend = now + interval;
                interval += interval;
            }
            readable.Clear();
            foreach (var probe in probes)
            {
                if (!probe.Done && probe.Socket is { } s)
                {
                    readable.Add(s);
                }
            }
            if (readable.Count == 0)
            {
                return;
            }
            var wait = Min(nextSend, options.Timeout) - now;
            Socket.Select(readable, null, null, (int)Math.Max(1, wait.TotalMicroseconds));
            foreach (var socket in readable)
            {
                var probe = Array.Find(probes, p => ReferenceEquals(p.Socket, socket))!;
                probe.Receive(buffer, address);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>One port's socket and transaction.</summary>
    private sealed class Probe
    {
        private readonly byte[] _transactionId = RandomNumberGenerator.GetBytes(12);
        private readonly byte[] _request = new byte[StunBindingRequest.Length];
        private readonly IPEndPoint _server;
        private PortProbeOutcome _outcome = PortProbeOutcome.NoAnswer;
        private IPEndPoint? _local;
        private IPEndPoint? _mapped;
        private string? _detail;

        private Probe(int port, IPEndPoint server)
        {
            Port = port;
            _server = server;
            StunBindingRequest.Write(_request, _transactionId);
        }

        public int Port { get; }

        public Socket? Socket { get; private set; }

        public bool Done => _outcome != PortProbeOutcome.NoAnswer;

        public static Probe Open(int port, NatProbeOptions options)
        {
            var probe = new Probe(port, options.Server);
            var socket = new Socket(options.Server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                var any = options.Server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
                socket.Bind(new IPEndPoint(options.LocalAddress ?? any, port));
                // connect(2) fixes the source address the kernel picks by route (the "local" we compare)
                // and filters out datagrams from anyone but the server.
                socket.Connect(options.Server);
                probe._local = (IPEndPoint)socket.LocalEndPoint!;
                probe.Socket = socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                probe._outcome = e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied
                    ? PortProbeOutcome.PortInUse
                    : PortProbeOutcome.SendFailed;
                probe._detail = e.Message;
            }
            return probe;
        }

        public void Send()
        {
            if (Done || Socket is null)
            {
                return;
            }
            try
            {
                Socket.Send(_request);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused)
            {
                // An ICMP port unreachable from an earlier attempt: the answer stays "none" and we keep trying.
            }
            catch (SocketException e)
            {
                _outcome = PortProbeOutcome.SendFailed;
                _detail = e.Message;
            }
        }

        public void Receive(byte[] buffer, byte[] address)
        {
            int length;
            try
            {
                length = Socket!.Receive(buffer);
            }
            catch (SocketException)
            {
                return; // ICMP errors surface here on a connected socket: still no answer.
            }
            switch (StunBindingRequest.Read(buffer.AsSpan(0, length), _transactionId, address, out var addressLength, out var port, out var code))
            {
                case StunReply.Ok:
                    _mapped = new IPEndPoint(new IPAddress(address.AsSpan(0, addressLength)), port);
                    _outcome = PortProbeOutcome.Answered;
                    break;
                case StunReply.Error:
                    _outcome = PortProbeOutcome.ErrorResponse;
                    _detail = $"STUN error {code}";
                    break;
            }
        }

        public PortProbe Result() => new(Port, _outcome, _local, _mapped, _detail);
    }
}
