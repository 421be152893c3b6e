using System.Globalization;

namespace Relay.Hosting;

/// <summary>Line-oriented log on stderr: "timestamp level message". One writer lock; cold paths only.</summary>
public sealed class Log(TextWriter writer)
{
    private readonly Lock _lock = new();

    public static Log Stderr { get; } = new(Console.Error);

    public void Info(string message) => Write("info", message);

    public void Warn(string message) => Write("warn", message);

    public void Error(string message) => Write("error", message);

    private void Write(string level, string message)
    {
        var line = $"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} {level} {message}";
        lock (_lock)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
