using System.Diagnostics;

namespace Relay.Topology;

/// <summary>Runs short commands to completion, with a timeout.</summary>
public static class Shell
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static CommandResult Run(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var text = $"{file} {string.Join(' ', psi.ArgumentList)}";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {text}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{text}` did not finish within {timeout ?? DefaultTimeout}: {stdout.Result}{stderr.Result}");
        }
        return new CommandResult(text, process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and throws with the command's output when it fails.</summary>
    public static CommandResult MustRun(string file, params string[] args)
    {
        var result = Run(file, args);
        return result.Succeeded ? result : throw new InvalidOperationException(result.ToString());
    }
}
