using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Relay.LoadGen.Measure;

/// <summary>
/// relayd's garbage collections and allocated bytes over a time window, read from the live
/// (Native AOT) process through its diagnostics IPC socket: an EventPipe session with the
/// <c>System.Runtime</c> provider's EventCounters at a one-second interval. <c>gen-0-gc-count</c>
/// counts every collection (each collects generation 0); <c>alloc-rate</c> is the bytes allocated
/// in each interval. Both are per-interval increments, summed over the reports that arrive
/// between <see cref="Start"/> and <see cref="Stop"/>.
/// </summary>
internal sealed class RuntimeCounters : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private readonly object _lock = new();
    private readonly Dictionary<string, double> _sums = new(StringComparer.Ordinal);
    private int _reports;
    private Exception? _failure;

    private RuntimeCounters(EventPipeSession session)
    {
        _session = session;
        _reader = new Thread(Read) { IsBackground = true, Name = "eventpipe reader" };
        _reader.Start();
    }

    /// <summary>Opens the session; throws naming the process when its diagnostics socket does not answer.</summary>
    public static RuntimeCounters Start(int pid)
    {
        var client = new DiagnosticsClient(pid);
        var provider = new EventPipeProvider("System.Runtime", EventLevel.Informational, 0,
            new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" });
        try
        {
            return new RuntimeCounters(client.StartEventPipeSession([provider], requestRundown: false));
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or TimeoutException)
        {
            throw new InvalidOperationException($"process {pid}: no EventPipe session through its diagnostics socket ({e.Message})", e);
        }
    }

    /// <summary>Waits until the first counter report arrives (the runtime has started sampling); false on timeout.</summary>
    public bool WaitForFirstReport(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_lock)
        {
            while (_reports == 0 && _failure is null)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_lock, left))
                {
                    return _reports > 0;
                }
            }
            return _reports > 0;
        }
    }

    /// <summary>Why the stream reader ended early, if it did (for error messages).</summary>
    public string? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failure?.ToString();
            }
        }
    }

    /// <summary>Clears what was summed so far: the window starts now.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _sums.Clear();
            _reports = 0;
        }
    }

    /// <summary>Ends the session and returns the sums since the last <see cref="Reset"/>.</summary>
    public RuntimeCounterSums Stop()
    {
        // Let the report that covers the window's last second arrive before the session ends.
        var target = 0;
        lock (_lock)
        {
            target = _reports + 1;
        }
        WaitForReports(target, TimeSpan.FromSeconds(3));
        _session.Stop();
        _reader.Join(TimeSpan.FromSeconds(10));
        lock (_lock)
        {
            if (_failure is not null && _reports == 0)
            {
                throw new InvalidOperationException($"EventPipe reader failed: {_failure.Message}", _failure);
            }
            return new RuntimeCounterSums(
                Reports: _reports,
                Collections: Sum("gen-0-gc-count"),
                Gen1Collections: Sum("gen-1-gc-count"),
                Gen2Collections: Sum("gen-2-gc-count"),
                AllocatedBytes: Sum("alloc-rate"));
        }
    }

    public void Dispose() => _session.Dispose();

    private long? Sum(string name) => _sums.TryGetValue(name, out var value) ? (long)value : null;

    private void WaitForReports(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_lock)
        {
            while (_reports < count && _failure is null)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_lock, left))
                {
                    return;
                }
            }
        }
    }

    private void Read()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += OnEvent;
            source.Process();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or FormatException)
        {
            lock (_lock)
            {
                _failure = e;
                Monitor.PulseAll(_lock);
            }
        }
    }

    private void OnEvent(TraceEvent e)
    {
        if (e.EventName != "EventCounters")
        {
            return;
        }
        string name;
        double? increment;
        if (e.PayloadNames.Length > 0 && e.PayloadByName("Payload") is IDictionary<string, object> payload)
        {
            if (!payload.TryGetValue("Name", out var nameValue) || nameValue is not string named)
            {
                return;
            }
            name = named;
            increment = payload.TryGetValue("Increment", out var value) ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : null;
        }
        else if (!TryDecodeWithoutMetadata(e.EventData(), out name, out increment))
        {
            return;
        }
        lock (_lock)
        {
            if (increment is { } delta)
            {
                _sums[name] = (_sums.TryGetValue(name, out var sum) ? sum : 0) + delta;
            }
            // One report per interval carries every counter; count it once, on the GC count.
            if (name == "gen-0-gc-count")
            {
                _reports++;
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>
    /// A Native AOT process sends its EventCounters without self-describing metadata (the runtime
    /// cannot reflect over the payload type), so TraceEvent sees bare bytes. The incrementing counters
    /// we need have a fixed layout (IncrementingCounterPayload as serialized by EventSource):
    /// Name, DisplayName and DisplayRateTimeScale as NUL-terminated UTF-16, then Increment as a
    /// little-endian double. Other counters are skipped.
    /// </summary>
    internal static bool TryDecodeWithoutMetadata(ReadOnlySpan<byte> data, out string name, out double? increment)
    {
        increment = null;
        if (!TryReadString(ref data, out name) || name is not ("gen-0-gc-count" or "gen-1-gc-count" or "gen-2-gc-count" or "alloc-rate")
            || !TryReadString(ref data, out _) || !TryReadString(ref data, out _) || data.Length < 8)
        {
            return false;
        }
        increment = BitConverter.Int64BitsToDouble(System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(data));
        return true;
    }

    private static bool TryReadString(ref ReadOnlySpan<byte> data, out string value)
    {
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            if (data[i] == 0 && data[i + 1] == 0)
            {
                value = System.Text.Encoding.Unicode.GetString(data[..i]);
                data = data[(i + 2)..];
                return true;
            }
        }
        value = "";
        return false;
    }
}
