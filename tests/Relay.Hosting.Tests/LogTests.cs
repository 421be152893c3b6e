using System.Globalization;

namespace Relay.Hosting.Tests;

public class LogTests
{
    [Fact]
    public void Each_message_is_one_line_with_a_utc_timestamp_and_its_level()
    {
        using var writer = new StringWriter();
        var log = new Log(writer);
        log.Info("l2tp: listening on udp 0.0.0.0:1701");
        log.Warn("fastpath: off");
        log.Error("bad");

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(["info", "warn", "error"], lines.Select(l => l.Split(' ')[1]));
        Assert.EndsWith(" info l2tp: listening on udp 0.0.0.0:1701", lines[0], StringComparison.Ordinal);
        var stamp = DateTime.ParseExact(lines[0].Split(' ')[0], "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.True(Math.Abs((DateTime.UtcNow - stamp).TotalMinutes) < 5, lines[0]);
    }

    [Fact]
    public void Lines_from_many_threads_never_interleave()
    {
        using var writer = new StringWriter();
        var log = new Log(writer);
        Parallel.For(0, 400, i => log.Info(new string((char)('a' + (i % 26)), 200)));

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(400, lines.Length);
        Assert.All(lines, l => Assert.Single(l.Split(' ')[2].Distinct()));
    }
}
