using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Relay.Server.Hosting;

namespace Relay.Server.Stun;

/// <summary>
/// The NAT discovery service (ref [0025]): a UDP socket on <c>listen.stun</c> served by one dedicated
/// thread. The loop reuses one receive buffer, one response buffer and one <see cref="SocketAddress"/>,
/// so a datagram costs no allocation. Counters are indexed by <see cref="StunOutcome"/>.
/// </summary>
internal sealed class StunService : IDisposable
{
    private const int ReceiveBufferLength = 2048;

    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly long[] _counters = new long[StunOutcomeNames.All.Length];
    private volatile bool _stopping;

    private StunService(Socket socket)
    {
        _socket = socket;
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "stun" };
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Counters by outcome; read them after <see cref="Dispose"/> for exact totals.</summary>
    public ReadOnlySpan<long> Counters => _counters;

    /// <summary>Binds <paramref name="endpoint"/> and starts the receive thread. Throws SocketException when binding fails.</summary>
    public static StunService Start(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.Bind(endpoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var service = new StunService(socket);
        service._thread.Start();
        return service;
    }

    public void Dispose()
    {
        _stopping = true;
        try
        {
            // On Linux shutdown() wakes a thread blocked in recvfrom even on an unconnected UDP socket.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // ENOTCONN is expected for UDP; the wake-up still happens.
        }
        _thread.Join(TimeSpan.FromSeconds(5));
        _socket.Dispose();
    }

    private void ReceiveLoop()
    {
        var buffer = GC.AllocateArray<byte>(ReceiveBufferLength, pinned: true);
        var response = GC.AllocateArray<byte>(StunResponder.MaxResponseLength, pinned: true);
        var peer = new SocketAddress(_socket.AddressFamily);
        Span<byte> address = stackalloc byte[16];
        while (!_stopping)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, peer);
            }
            catch (SocketException) when (!_stopping)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                break;
            }
            if (_stopping)
            {
                break;
            }
            var outcome = Handle(buffer.AsSpan(0, received), peer, address, response);
            _counters[(int)outcome]++;
        }
    }

    private StunOutcome Handle(ReadOnlySpan<byte> datagram, SocketAddress peer, Span<byte> address, byte[] response)
    {
        // Linux sockaddr_in: family(2) port(2, big-endian) address(4); sockaddr_in6: family(2) port(2) flowinfo(4) address(16).
        var raw = peer.Buffer.Span;
        var port = BinaryPrimitives.ReadUInt16BigEndian(raw[2..]);
        int length;
        switch (peer.Family)
        {
            case AddressFamily.InterNetwork:
                raw.Slice(4, 4).CopyTo(address);
                length = 4;
                break;
            case AddressFamily.InterNetworkV6:
                raw.Slice(8, 16).CopyTo(address);
                length = 16;
                break;
            default:
                return StunOutcome.DroppedUnsupportedAddress;
        }
        var outcome = StunResponder.Handle(datagram, address[..length], port, response, out var written);
        if (written > 0)
        {
            try
            {
                _socket.SendTo(response.AsSpan(0, written), SocketFlags.None, peer);
            }
            catch (SocketException)
            {
                return StunOutcome.DroppedSendFailed;
            }
        }
        return outcome;
    }

    /// <summary>One-line summary of the counters, for the shutdown log.</summary>
    public string Summary() => StunOutcomeNames.Summary(_counters);

    internal static void LogStart(Log log, IPEndPoint endpoint) => log.Info($"stun: listening on udp {endpoint}");
}
