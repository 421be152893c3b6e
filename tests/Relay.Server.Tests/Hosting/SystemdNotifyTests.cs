using System.Net.Sockets;
using System.Text;
using Relay.Server.Hosting;

namespace Relay.Server.Tests.Hosting;

/// <summary>The sd_notify protocol (sd_notify(3)): datagrams to $NOTIFY_SOCKET, watchdog from $WATCHDOG_USEC.</summary>
public class SystemdNotifyTests
{
    [Theory]
    [InlineData("30000000", null, 30.0)]
    [InlineData("30000000", "", 30.0)]
    [InlineData("400000", "4242", 0.4)]
    public void Watchdog_interval_comes_from_watchdog_usec_for_this_process(string usec, string? pid, double seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), SystemdNotify.WatchdogInterval(usec, pid, 4242));

    [Theory]
    [InlineData(null, null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("abc", null)]
    [InlineData("30000000", "1")]
    public void No_watchdog_when_unset_invalid_or_meant_for_another_process(string? usec, string? pid)
        => Assert.Null(SystemdNotify.WatchdogInterval(usec, pid, 4242));

    [Fact]
    public void Without_notify_socket_nothing_is_sent()
    {
        using var notify = SystemdNotify.ForSocket(null);
        Assert.False(notify.Enabled);
        Assert.False(notify.Send("READY=1"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void State_goes_to_a_path_or_an_abstract_socket(bool isAbstract)
    {
        var name = $"relay-notify-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var path = Path.Combine(Path.GetTempPath(), name);
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(isAbstract ? "\0" + name : path));
        receiver.ReceiveTimeout = 5000;
        try
        {
            using var notify = SystemdNotify.ForSocket(isAbstract ? "@" + name : path);
            Assert.True(notify.Send("READY=1\nSTATUS=test"));
            var buffer = new byte[64];
            Assert.Equal("READY=1\nSTATUS=test", Encoding.UTF8.GetString(buffer, 0, receiver.Receive(buffer)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
