using System.Diagnostics;
using Relay.Client.Hosting;

namespace Relay.Client.Tunnel;

/// <summary>
/// Runs <c>hooks.up</c> / <c>hooks.down</c> with <c>/bin/sh -c</c> and RELAY_* environment variables, waits
/// for it (up to the configured timeout, then kills it) and logs how it ended. A failing hook is logged, never fatal.
/// </summary>
internal sealed class HookRunner(TimeSpan timeout, Log log)
{
    public void Run(string name, string? command, IReadOnlyDictionary<string, string> environment)
    {
        if (command is null)
        {
            return;
        }
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }
        try
        {
            using var process = Process.Start(psi)!;
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                log.Warn($"hooks.{name}: still running after {timeout.TotalSeconds:F0} s, killed");
                return;
            }
            if (process.ExitCode != 0)
            {
                log.Warn($"hooks.{name}: exited {process.ExitCode}");
            }
            else
            {
                log.Info($"hooks.{name}: ran");
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            log.Warn($"hooks.{name}: cannot start /bin/sh: {e.Message}");
        }
    }
}
