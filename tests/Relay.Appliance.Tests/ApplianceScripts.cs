using System.Diagnostics;
using Relay.Testing;
using Relay.Topology;

namespace Relay.Appliance.Tests;

/// <summary>Runs the appliance's scripts and the AOT binaries they package (artifacts/bin, built by make publish).</summary>
internal static class ApplianceScripts
{
    public static string Bin => Path.GetDirectoryName(RepositoryPaths.Relayd())!;

    /// <summary>Runs a script of the repository with a timeout; returns its result and how long it took.</summary>
    public static (CommandResult Result, TimeSpan Took) Run(string script, TimeSpan timeout, params string[] args)
    {
        var watch = Stopwatch.StartNew();
        var result = Shell.Run(Path.Combine(RepositoryPaths.Root, script), args, timeout);
        return (result, watch.Elapsed);
    }

    /// <summary>relayd --print-firewall for a configuration given as JSON.</summary>
    public static string PrintFirewall(string configJson, string directory)
    {
        var config = Path.Combine(directory, "relayd.json");
        File.WriteAllText(config, configJson);
        var result = Shell.Run(RepositoryPaths.Relayd(), ["--print-firewall", "--config", config]);
        Assert.True(result.Succeeded, result.ToString());
        return result.StandardOutput;
    }
}
