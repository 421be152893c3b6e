using System.Net;
using System.Net.Sockets;
using Relay.DataPlane.Stun;
using Relay.Wire.Stun;

namespace Relay.Client.Tests.Stun;

/// <summary>
/// <see cref="NatProbe.Run"/> against a STUN responder on loopback (high ports, so no root and no clash):
/// real sockets, real requests with FINGERPRINT, real XOR-MAPPED-ADDRESS answers.
/// </summary>
public sealed class NatProbeLoopbackTests : IDisposable
{
    private readonly Socket _server = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private volatile int _portShift;
    private volatile int _ignorePort = -1;

    public NatProbeLoopbackTests()
    {
        _server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _thread = new Thread(Serve) { IsBackground = true };
        _thread.Start();
    }

    private IPEndPoint Endpoint => (IPEndPoint)_server.LocalEndPoint!;

    [Fact]
    public void Answers_that_match_the_local_ports_decide_direct()
    {
        var ports = FreePorts(3);
        var result = NatProbe.Run(new NatProbeOptions { Server = Endpoint, IkePorts = [ports[0], ports[1]], ControlPort = ports[2] });

        Assert.Equal(NatDecision.Direct, result.Decision);
        Assert.False(result.Nat);
        Assert.All(result.Ports, p => Assert.Equal(PortProbeOutcome.Answered, p.Outcome));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, ports[0]), result.Mapped);
    }

    [Fact]
    public void A_server_that_sees_other_ports_means_a_nat_and_the_tunnel()
    {
        _portShift = 7;
        var ports = FreePorts(3);
        var result = NatProbe.Run(new NatProbeOptions { Server = Endpoint, IkePorts = [ports[0], ports[1]], ControlPort = ports[2] });

        Assert.Equal(NatDecision.Tunnel, result.Decision);
        Assert.True(result.Nat);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, ports[0] + 7), result.Mapped);
    }

    [Fact]
    public void Silence_on_the_ike_ports_with_an_answer_on_the_control_port_is_a_blocked_ike()
    {
        var ports = FreePorts(2);
        _ignorePort = ports[0];
        var result = NatProbe.Run(new NatProbeOptions
        {
            Server = Endpoint, IkePorts = [ports[0]], ControlPort = ports[1], Timeout = TimeSpan.FromMilliseconds(600),
        });

        Assert.Equal(NatDecision.Tunnel, result.Decision);
        Assert.StartsWith("ike blocked", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_held_by_another_socket_is_reported_in_use()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Any, 0));
        var held = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var control = FreePorts(1)[0];
        var result = NatProbe.Run(new NatProbeOptions { Server = Endpoint, IkePorts = [held], ControlPort = control });

        Assert.Equal(PortProbeOutcome.PortInUse, result.Ports[0].Outcome);
        Assert.Equal(NatDecision.Direct, result.Decision);
        Assert.Contains("in use locally", result.Reason, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _server.Dispose();
        _thread.Join(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private static int[] FreePorts(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)).ToList();
        foreach (var s in sockets)
        {
            s.Bind(new IPEndPoint(IPAddress.Any, 0));
        }
        var ports = sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
        sockets.ForEach(s => s.Dispose());
        return ports;
    }

    private void Serve()
    {
        var buffer = new byte[2048];
        var response = new byte[StunResponseWriter.MaxSuccessLength];
        while (!_stop.IsCancellationRequested)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int length;
            try
            {
                length = _server.ReceiveFrom(buffer, ref from);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            var source = (IPEndPoint)from;
            if (source.Port == _ignorePort || StunMessage.Parse(buffer.AsSpan(0, length), out var request) != StunParseStatus.Ok)
            {
                continue;
            }
            var seenPort = (ushort)(source.Port + _portShift);
            if (StunResponseWriter.WriteBindingSuccess(response, request, source.Address.GetAddressBytes(), seenPort, "test"u8, out var written) == StunWriteStatus.Ok)
            {
                _server.SendTo(response.AsSpan(0, written), SocketFlags.None, source);
            }
        }
    }
}
