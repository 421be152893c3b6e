using System.Diagnostics;
using Relay.Testing;

namespace Relay.DataPlane.Tests.Bpf;

/// <summary>Builds native/bpf into artifacts/bin once per test run (make bpf: up-to-date objects are kept).</summary>
internal static class BpfObjects
{
    private static readonly Lazy<string> Built = new(Build);

    public static string Directory => Built.Value;

    private static string Build()
    {
        var root = RepositoryPaths.Root;
        var start = new ProcessStartInfo("make", ["-C", root, "--no-print-directory", "bpf"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var make = Process.Start(start) ?? throw new InvalidOperationException("cannot run make");
        var output = make.StandardOutput.ReadToEndAsync();
        var error = make.StandardError.ReadToEnd();
        make.WaitForExit();
        if (make.ExitCode != 0)
        {
            throw new InvalidOperationException($"make bpf failed ({make.ExitCode}): {output.Result}{error}");
        }
        return Path.Combine(root, "artifacts", "bin");
    }
}
