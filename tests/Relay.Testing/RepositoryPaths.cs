namespace Relay.Testing;

/// <summary>Locates the repository and the AOT binaries the namespace and end-to-end tests run.</summary>
public static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Relay.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException($"Relay.sln not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>$RELAYD, else &lt;repo&gt;/artifacts/bin/relayd. A missing binary fails the test (never a skip).</summary>
    public static string Relayd()
    {
        var path = Environment.GetEnvironmentVariable("RELAYD") is { Length: > 0 } env ? env : Path.Combine(Root, "artifacts", "bin", "relayd");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"relayd binary not found at {path}. Build it with `make publish` or set RELAYD.", path);
        }
        return path;
    }

    /// <summary>$RELAYCTL, else &lt;repo&gt;/artifacts/bin/relayctl. A missing binary fails the test (never a skip).</summary>
    public static string Relayctl()
    {
        var path = Environment.GetEnvironmentVariable("RELAYCTL") is { Length: > 0 } env ? env : Path.Combine(Root, "artifacts", "bin", "relayctl");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"relayctl binary not found at {path}. Build it with `make publish` or set RELAYCTL.", path);
        }
        return path;
    }
}
