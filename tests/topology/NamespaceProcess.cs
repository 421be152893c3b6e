using System.Diagnostics;
using System.Text;

namespace Relay.Topology;

/// <summary>
/// A long-running process started inside a namespace. Collects stdout and stderr lines, lets a test wait for
/// a line (never a sleep), and kills the process on <see cref="Dispose"/>.
/// </summary>
public sealed class NamespaceProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly object _lock = new();
    private readonly StringBuilder _all = new();
    private int _outputStreamsOpen = 2;

    internal NamespaceProcess(ProcessStartInfo psi, string description)
    {
        Description = description;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        if (!_process.Start())
        {
            throw new InvalidOperationException($"cannot start {description}");
        }
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Description { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything printed so far (stdout and stderr interleaved by arrival).</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _all.ToString();
            }
        }
    }

    /// <summary>Waits until a printed line satisfies <paramref name="match"/>; throws with the output so far on timeout or exit.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = 0;
        lock (_lock)
        {
            while (true)
            {
                for (; seen < _lines.Count; seen++)
                {
                    if (match(_lines[seen]))
                    {
                        return _lines[seen];
                    }
                }
                if (_outputStreamsOpen == 0)
                {
                    throw new InvalidOperationException($"{Description} ended before printing the expected line. Output:\n{_all}");
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"{Description} did not print the expected line within {timeout}. Output:\n{_all}");
                }
                Monitor.Wait(_lock, left);
            }
        }
    }

    /// <summary>Sends a signal (e.g. 15 for SIGTERM) and waits for exit; returns the exit code.</summary>
    public int SignalAndWait(int signal, TimeSpan timeout)
    {
        Shell.MustRun("kill", $"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"{Description} did not exit within {timeout} of signal {signal}. Output:\n{Output}");
        }
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        lock (_lock)
        {
            if (line is null)
            {
                _outputStreamsOpen--;
            }
            else
            {
                _lines.Add(line);
                _all.AppendLine(line);
            }
            Monitor.PulseAll(_lock);
        }
    }
}
