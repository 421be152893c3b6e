using System.Globalization;

namespace Relay.Topology;

/// <summary>
/// tshark capturing on one device inside a namespace into a pcapng file, also printing a one-line
/// summary per packet so a test can wait for a packet (never a sleep). <see cref="Start"/> returns
/// once tshark says the capture has started; <see cref="Stop"/> ends it with SIGINT so the file is complete.
/// </summary>
public sealed class PacketCapture : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly NamespaceProcess _tshark;

    private PacketCapture(NamespaceProcess tshark, string path)
    {
        _tshark = tshark;
        FilePath = path;
    }

    public string FilePath { get; }

    /// <summary>The packet summaries printed so far (and tshark's own messages).</summary>
    public string Output => _tshark.Output;

    /// <summary>Starts tshark on <paramref name="device"/> in <paramref name="ns"/> with an optional capture filter.</summary>
    public static PacketCapture Start(NetworkNamespace ns, string device, string path, string? captureFilter = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        string[] command = ["tshark", "-n", "-l", "-P", "-i", device, "-w", path];
        if (captureFilter is not null)
        {
            command = [.. command, "-f", captureFilter];
        }
        var tshark = ns.Start(command);
        try
        {
            // "Capturing on" comes before the device is open; "Capture started." once packets are recorded.
            tshark.WaitForLine(l => l.Contains("Capture started.", StringComparison.Ordinal), StartTimeout);
        }
        catch
        {
            tshark.Dispose();
            throw;
        }
        return new PacketCapture(tshark, path);
    }

    /// <summary>Waits for a printed packet summary (e.g. "Hello", "ZLB") matching <paramref name="match"/>.</summary>
    public string WaitForPacket(Func<string, bool> match, TimeSpan timeout) => _tshark.WaitForLine(match, timeout);

    /// <summary>
    /// Waits until packets matching each of <paramref name="inOrder"/> have been printed one after
    /// the other (other packets may come between). A packet is printed only once it is in the file,
    /// so waiting for the last expected packet before <see cref="Stop"/> keeps it from being cut off.
    /// </summary>
    public string WaitForPackets(TimeSpan timeout, params Func<string, bool>[] inOrder)
    {
        ArgumentNullException.ThrowIfNull(inOrder);
        var next = 0;
        return _tshark.WaitForLine(l => next < inOrder.Length && inOrder[next](l) && ++next == inOrder.Length, timeout);
    }

    /// <summary>Stops with SIGINT and waits until the file is written; returns the file path.</summary>
    public string Stop()
    {
        if (!_tshark.HasExited)
        {
            var code = _tshark.SignalAndWait(2, StartTimeout);
            if (code != 0)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"tshark exited {code}:\n{_tshark.Output}"));
            }
        }
        return FilePath;
    }

    public void Dispose() => _tshark.Dispose();
}
