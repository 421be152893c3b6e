using System.Net.Sockets;
using System.Text;
using Relay.Testing;
using Relay.Topology;

namespace Relay.Appliance.Tests.Systemd;

/// <summary>
/// The real relayd binary under a fake systemd: a Unix datagram socket as $NOTIFY_SOCKET receives
/// READY=1, WATCHDOG=1 (at half of $WATCHDOG_USEC) and STOPPING=1; and the first-boot tunnel secret.
/// relayd runs in its own namespace so its ports never clash with other tests.
/// </summary>
public sealed class RelaydSystemdTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly string _dir = Directory.CreateTempSubdirectory("relay-sd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Relayd_sends_ready_then_watchdog_pings_then_stopping_over_notify_socket()
    {
        var socketPath = Path.Combine(_dir, "notify");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        notify.ReceiveTimeout = (int)Wait.TotalMilliseconds;
        var config = WriteConfig("""{ "ppp": { "secretsFile": null }, "control": { "socket": "/run/relay/control.sock" } }""");
        using var topology = new Topology("sdn");
        var ns = topology.AddNamespace("relay");
        using var relayd = ns.Start("env", $"NOTIFY_SOCKET={socketPath}", "WATCHDOG_USEC=400000",
            RepositoryPaths.Relayd(), "--config", config);

        var ready = Receive(notify);
        Assert.StartsWith("READY=1\nSTATUS=serving L2TP on ", ready, StringComparison.Ordinal);
        relayd.WaitForLine(l => l.Contains("systemd: READY=1 sent, watchdog every 0.2 s", StringComparison.Ordinal), Wait);
        // Two pings prove the timer repeats (every 0.2 s here).
        Assert.Equal("WATCHDOG=1", Receive(notify));
        Assert.Equal("WATCHDOG=1", Receive(notify));

        Assert.Equal(0, relayd.SignalAndWait(15, Wait));
        string last;
        do
        {
            last = Receive(notify);
        }
        while (last == "WATCHDOG=1");
        Assert.Equal("STOPPING=1", last);
    }

    [Fact]
    public void First_start_generates_a_root_only_tunnel_secret_prints_it_once_and_later_starts_reuse_it()
    {
        var secretFile = Path.Combine(_dir, "state", "tunnel-secret");
        var config = WriteConfig($$"""{ "tunnel": { "secretFile": "{{secretFile}}" }, "ppp": { "secretsFile": null } }""");
        using var topology = new Topology("sdf");
        var ns = topology.AddNamespace("relay");

        string printed;
        using (var first = ns.Start(RepositoryPaths.Relayd(), "--config", config))
        {
            var line = first.WaitForLine(l => l.Contains("TUNNEL SECRET: ", StringComparison.Ordinal), Wait);
            printed = line[(line.IndexOf("TUNNEL SECRET: ", StringComparison.Ordinal) + "TUNNEL SECRET: ".Length)..];
            first.WaitForLine(l => l.Contains("tunnel authentication on", StringComparison.Ordinal), Wait);
            Assert.Equal(0, first.SignalAndWait(15, Wait));
        }
        Assert.Equal(32, printed.Length); // 192 bits, base64url
        Assert.Equal(printed + "\n", File.ReadAllText(secretFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretFile));

        using (var second = ns.Start(RepositoryPaths.Relayd(), "--config", config))
        {
            second.WaitForLine(l => l.Contains("tunnel authentication on", StringComparison.Ordinal), Wait);
            Assert.Equal(0, second.SignalAndWait(15, Wait));
            Assert.DoesNotContain(printed, second.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("TUNNEL SECRET", second.Output, StringComparison.Ordinal);
        }
        Assert.Equal(printed + "\n", File.ReadAllText(secretFile));

        // A secret others can read is refused: relayd stops with exit 2 and says why.
        File.SetUnixFileMode(secretFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var refused = Shell.Run("ip", ["netns", "exec", ns.Name, RepositoryPaths.Relayd(), "--config", config]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("readable or writable by group or others", refused.StandardError, StringComparison.Ordinal);
    }

    private string WriteConfig(string json)
    {
        var path = Path.Combine(_dir, "relayd.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[512];
        var n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
