using Relay.Testing;
namespace Relay.Server.Tests.Hosting;

/// <summary>Checks relayd makes against the host it starts on, in a namespace of the test's own.</summary>
public sealed class StartupChecksTests : IDisposable
{
    private readonly string _configPath = Path.Combine(Path.GetTempPath(), $"relayd-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_configPath);

    [Fact]
    public void Pool_containing_an_address_of_the_host_stops_relayd_with_the_pool_and_interface_named()
    {
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var other = topology.AddNamespace("o");
        topology.Link(server, "eth0", "10.201.7.7/24", other, "eth0", "10.201.7.8/24");
        File.WriteAllText(_configPath, """{ "pools": [ { "name": "p", "range": "10.201.0.0/16", "realm": "private" } ], "ppp": { "secretsFile": null }, "metrics": { "listen": null } }""");

        var result = server.Exec("timeout", "20", RepositoryPaths.Relayd(), "--config", _configPath);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pools[0].range: 10.201.0.0/16 contains 10.201.7.7, an address of this host (interface eth0)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_address_listed_in_the_exclusions_is_accepted()
    {
        using var topology = new Topology.Topology();
        var server = topology.AddNamespace("s");
        var other = topology.AddNamespace("o");
        topology.Link(server, "eth0", "10.201.7.7/24", other, "eth0", "10.201.7.8/24");
        File.WriteAllText(_configPath, $$"""{ "pools": [ { "name": "p", "range": "10.201.0.0/16", "realm": "private", "exclusions": [ "10.201.7.0/24" ] } ], "ppp": { "secretsFile": null }, "control": { "socket": "{{_configPath}}.sock" }, "metrics": { "listen": null } }""");

        using var relayd = server.Start(RepositoryPaths.Relayd(), "--config", _configPath);
        relayd.WaitForLine(l => l.Contains("l2tp: listening on udp", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Equal(0, relayd.SignalAndWait(15, TimeSpan.FromSeconds(15)));
    }
}
