using Relay.Testing;
using Relay.Topology;

namespace Relay.Appliance.Tests.Systemd;

/// <summary>The unit files under appliance/systemd, checked by systemd itself and for what the issue demands.</summary>
public sealed class UnitFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("relay-units-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Units_pass_systemd_analyze_verify()
    {
        // verify checks that every Exec path exists and is executable: point /usr/bin/relay* at the
        // published binaries (the only change; the image test runs the units unmodified).
        var bin = ApplianceScripts.Bin;
        foreach (var unit in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "appliance", "systemd"), "*.service"))
        {
            var text = File.ReadAllText(unit)
                .Replace("/usr/bin/relayd", Path.Combine(bin, "relayd"), StringComparison.Ordinal)
                .Replace("/usr/bin/relay-client", Path.Combine(bin, "relay-client"), StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(_dir, Path.GetFileName(unit)), text);
        }
        var units = Directory.GetFiles(_dir, "*.service").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["relay-client.service", "relay-firewall.service", "relayd.service"], units.Select(Path.GetFileName));
        var result = Shell.Run("systemd-analyze", ["verify", "--man=no", .. units]);
        Assert.True(result.Succeeded, result.ToString());
        // verify exits 0 on some warnings; any line about our units is a finding.
        Assert.DoesNotContain("relay", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Relayd_unit_is_notify_with_watchdog_restart_and_only_the_data_plane_capabilities()
    {
        var unit = Read("relayd.service");
        Assert.Equal("notify", unit["Type"]);
        Assert.Equal("main", unit["NotifyAccess"]);
        Assert.Equal("on-failure", unit["Restart"]);
        Assert.Equal("30s", unit["WatchdogSec"]);
        Assert.Equal("relay", unit["User"]);
        Assert.Equal("strict", unit["ProtectSystem"]);
        Assert.Equal("yes", unit["PrivateTmp"]);
        Assert.Equal("yes", unit["NoNewPrivileges"]);
        var allowed = new[] { "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_NET_BIND_SERVICE", "CAP_BPF", "CAP_PERFMON" };
        Assert.Equal(allowed, unit["CapabilityBoundingSet"].Split(' '));
        Assert.Equal(allowed, unit["AmbientCapabilities"].Split(' '));
        Assert.Equal("/usr/bin/relayd --config /etc/relay/relayd.json", unit["ExecStart"]);
    }

    [Fact]
    public void Firewall_unit_generates_the_ruleset_from_the_same_config_before_relayd()
    {
        var unit = Read("relay-firewall.service");
        Assert.Contains("/usr/bin/relayd --print-firewall --config /etc/relay/relayd.json | /usr/sbin/nft -f -", unit["ExecStart"], StringComparison.Ordinal);
        Assert.Contains("relayd.service", unit["Before"], StringComparison.Ordinal);
        Assert.Contains("relay-firewall.service", Read("relayd.service")["Wants"], StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Read(string name)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "appliance", "systemd", name)))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || line.StartsWith('[') || eq <= 0)
            {
                continue;
            }
            values[line[..eq]] = line[(eq + 1)..];
        }
        return values;
    }
}
