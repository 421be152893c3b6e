using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Relay.Server.Hosting;

/// <summary>
/// The sd_notify protocol without libsystemd: one datagram per state change ("READY=1", "WATCHDOG=1",
/// "STOPPING=1", "STATUS=...") to the Unix datagram socket named by $NOTIFY_SOCKET (a path, or an abstract
/// name when it starts with '@'). Without $NOTIFY_SOCKET every call does nothing, so relayd runs the same
/// outside systemd. The watchdog pings at half of $WATCHDOG_USEC while a liveness check holds, so a dead
/// control loop makes systemd restart relayd (Restart=on-failure).
/// </summary>
internal sealed class SystemdNotify : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;
    private Timer? _watchdog;

    private SystemdNotify(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket) || (notifySocket[0] != '/' && notifySocket[0] != '@'))
        {
            return;
        }
        // An abstract socket's name starts with a NUL byte; systemd writes it as '@'.
        _target = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>From this process's environment ($NOTIFY_SOCKET).</summary>
    public static SystemdNotify FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>For tests: a notifier that writes to <paramref name="notifySocket"/>.</summary>
    internal static SystemdNotify ForSocket(string? notifySocket) => new(notifySocket);

    public bool Enabled => _socket is not null;

    /// <summary>
    /// The watchdog interval systemd asked for ($WATCHDOG_USEC, honoured only when $WATCHDOG_PID is unset or
    /// this process), or null.
    /// </summary>
    public static TimeSpan? WatchdogInterval(string? usec, string? pid, int ownPid)
    {
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var micro) || micro <= 0)
        {
            return null;
        }
        if (!string.IsNullOrEmpty(pid) && pid != ownPid.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }
        return TimeSpan.FromMicroseconds(micro);
    }

    /// <summary>Sends one state string; false when not under systemd or the send failed (never throws).</summary>
    public bool Send(string state)
    {
        if (_socket is null || _target is null)
        {
            return false;
        }
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _target);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Pings WATCHDOG=1 every <paramref name="interval"/>/2 while <paramref name="alive"/> returns true.</summary>
    public void StartWatchdog(TimeSpan interval, Func<bool> alive)
    {
        var period = interval / 2;
        _watchdog = new Timer(_ =>
        {
            if (alive())
            {
                Send("WATCHDOG=1");
            }
        }, null, TimeSpan.Zero, period);
    }

    /// <summary>READY=1 once every service is up, and the watchdog when systemd asked for one.</summary>
    public void NotifyReady(Lns.LnsService l2tp, Log log)
    {
        if (!Enabled)
        {
            return;
        }
        Send($"READY=1\nSTATUS=serving L2TP on {l2tp.LocalEndPoint}");
        var interval = WatchdogInterval(
            Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
        if (interval is { } every)
        {
            StartWatchdog(every, () => l2tp.IsAlive);
        }
        log.Info($"systemd: READY=1 sent{(interval is { } i ? $", watchdog every {(i / 2).TotalSeconds:0.#} s" : "")}");
    }

    public void Dispose()
    {
        _watchdog?.Dispose();
        _socket?.Dispose();
    }
}
