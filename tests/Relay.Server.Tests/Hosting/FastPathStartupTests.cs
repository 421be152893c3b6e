using Relay.Testing;
namespace Relay.Server.Tests.Hosting;

/// <summary>relayd when the fast path it is configured with cannot start: fall back with the reason, or exit when required.</summary>
public sealed class FastPathStartupTests : IDisposable
{
    private readonly string _configPath = Path.Combine(Path.GetTempPath(), $"relayd-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_configPath);

    private void WriteConfig(bool required) => File.WriteAllText(_configPath, $$"""
        { "listen": { "l2tp": "127.0.0.1:1701", "stun": "127.0.0.1:3478" }, "ppp": { "secretsFile": null }, "metrics": { "listen": null },
          "dataplane": { "fastPath": "xdp", "fastPathInterface": "nosuchif0", "fastPathRequired": {{(required ? "true" : "false")}} } }
        """);

    [Fact]
    public void A_required_fast_path_that_cannot_start_stops_relayd_with_the_reason()
    {
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        WriteConfig(required: true);

        var result = server.Exec("timeout", "20", RepositoryPaths.Relayd(), "--config", _configPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("dataplane.fastPath xdp is required: fast path interface nosuchif0 not found", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fast_path_that_cannot_start_is_logged_and_relayd_forwards_in_user_space()
    {
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        WriteConfig(required: false);

        using var relayd = server.Start(RepositoryPaths.Relayd(), "--config", _configPath);
        relayd.WaitForLine(l => l.Contains("fastpath: fast path interface nosuchif0 not found; forwarding in user space only", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15));
        relayd.WaitForLine(l => l.Contains("l2tp: listening on udp", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Equal(0, relayd.SignalAndWait(15, TimeSpan.FromSeconds(15)));
    }
}
