using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Ipsec;

/// <summary>
/// Traffic between two inner addresses that only an IPsec SA joins: a TCP stream whose bytes are checked
/// by SHA-256 at the far end, and full-size UDP datagrams (Don't Fragment set, so an MTU black hole shows
/// up as loss instead of hiding in fragmentation) each checked byte for byte. Sockets are made inside the
/// namespaces (<see cref="NamespaceSockets"/>); nothing sleeps: receives have timeouts.
/// </summary>
internal static class IpsecFlow
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Sends <paramref name="length"/> random bytes over TCP from A to B; returns the Mbit/s seen.</summary>
    public static double Tcp(NetworkNamespace a, string innerA, NetworkNamespace b, string innerB, int length)
    {
        using var listener = NamespaceSockets.CreateInside(b, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Parse(innerB), 0));
            s.Listen(1);
            return s;
        });
        using var client = NamespaceSockets.CreateInside(a, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Parse(innerA), 0));
            return s;
        });
        var payload = RandomNumberGenerator.GetBytes(length);
        var expected = SHA256.HashData(payload);
        var receiver = Task.Run(() =>
        {
            listener.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
            using var accepted = listener.Accept();
            accepted.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[65536];
            long total = 0;
            int n;
            while ((n = accepted.Receive(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                total += n;
            }
            return (total, hash.GetHashAndReset());
        });
        var clock = Stopwatch.StartNew();
        client.SendTimeout = (int)Timeout.TotalMilliseconds;
        client.Connect(listener.LocalEndPoint!);
        for (var sent = 0; sent < length;)
        {
            sent += client.Send(payload, sent, Math.Min(65536, length - sent), SocketFlags.None);
        }
        client.Shutdown(SocketShutdown.Send);
        Assert.True(receiver.Wait(Timeout), "the TCP receiver did not finish");
        var (received, digest) = receiver.Result;
        var seconds = clock.Elapsed.TotalSeconds;
        Assert.Equal(length, received);
        Assert.Equal(expected, digest);
        return length * 8 / seconds / 1e6;
    }

    /// <summary>
    /// Sends <paramref name="count"/> UDP datagrams of <paramref name="size"/> payload bytes with DF set from A to B,
    /// one at a time, and checks each arrives whole and unchanged.
    /// </summary>
    public static void FullSizeUdp(NetworkNamespace a, string innerA, NetworkNamespace b, string innerB, int size, int count)
    {
        using var server = NamespaceSockets.OpenUdp(b, new IPEndPoint(IPAddress.Parse(innerB), 0));
        using var client = NamespaceSockets.OpenUdp(a, new IPEndPoint(IPAddress.Parse(innerA), 0));
        client.DontFragment = true;
        server.ReceiveTimeout = 5000;
        var buffer = new byte[65536];
        for (var i = 0; i < count; i++)
        {
            var datagram = RandomNumberGenerator.GetBytes(size);
            client.SendTo(datagram, server.LocalEndPoint!);
            var n = server.Receive(buffer);
            Assert.Equal(size, n);
            Assert.True(buffer.AsSpan(0, n).SequenceEqual(datagram), $"datagram {i} changed in transit");
        }
    }

    /// <summary>
    /// Sends a small UDP datagram from A to B every second until one arrives (the path may still be down);
    /// returns how many were sent. Fails after <paramref name="timeout"/>.
    /// </summary>
    public static int UntilDelivered(NetworkNamespace a, string innerA, NetworkNamespace b, string innerB, TimeSpan timeout)
    {
        using var server = NamespaceSockets.OpenUdp(b, new IPEndPoint(IPAddress.Parse(innerB), 0));
        using var client = NamespaceSockets.OpenUdp(a, new IPEndPoint(IPAddress.Parse(innerA), 0));
        var clock = Stopwatch.StartNew();
        var buffer = new byte[2048];
        for (var attempt = 1; ; attempt++)
        {
            var probe = RandomNumberGenerator.GetBytes(64);
            try
            {
                client.SendTo(probe, server.LocalEndPoint!);
            }
            catch (SocketException)
            {
                // No route yet (ipsec0 or relay0 still coming back): the next attempt will tell.
            }
            var deadline = clock.Elapsed + TimeSpan.FromSeconds(1);
            while (clock.Elapsed < deadline)
            {
                if (server.Poll(deadline - clock.Elapsed, SelectMode.SelectRead) && server.Receive(buffer) == probe.Length
                    && buffer.AsSpan(0, probe.Length).SequenceEqual(probe))
                {
                    return attempt;
                }
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"no datagram from {innerA} reached {innerB} within {timeout} ({attempt} sent)");
            }
        }
    }
}
