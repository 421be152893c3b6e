using System.Text.RegularExpressions;
using Relay.Topology;

namespace Relay.Appliance.Tests.Packaging;

/// <summary>`make deb` (appliance/build-deb.sh): the package's metadata and contents, read back with dpkg-deb.</summary>
public sealed class DebPackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("relay-deb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Deb_holds_binaries_units_config_and_tuning_with_conffiles_and_safe_modes()
    {
        var (build, _) = ApplianceScripts.Run("appliance/build-deb.sh", TimeSpan.FromMinutes(2), "--bin", ApplianceScripts.Bin, "--out", _dir);
        Assert.True(build.Succeeded, build.ToString());
        var deb = Assert.Single(Directory.GetFiles(_dir, "relay_*_amd64.deb"));

        var fields = Shell.MustRun("dpkg-deb", "-f", deb, "Package", "Version", "Architecture", "Depends").StandardOutput;
        Assert.Contains("Package: relay", fields, StringComparison.Ordinal);
        Assert.Contains("Architecture: amd64", fields, StringComparison.Ordinal);
        Assert.Contains("nftables", fields, StringComparison.Ordinal);
        var version = Shell.MustRun(Relay.Testing.RepositoryPaths.Relayd(), "--version").StandardOutput.Split(' ')[1].Trim();
        Assert.Contains($"Version: {version}", fields, StringComparison.Ordinal);

        var contents = Shell.MustRun("dpkg-deb", "-c", deb).StandardOutput.Split('\n');
        Assert.StartsWith("drwxr-xr-x root/root", contents[0], StringComparison.Ordinal);
        string Entry(string path) => Assert.Single(contents, l => l.EndsWith(" ./" + path, StringComparison.Ordinal));
        Assert.StartsWith("-rwxr-xr-x root/root", Entry("usr/lib/relay/relayd"), StringComparison.Ordinal);
        Assert.Contains("./usr/bin/relayd -> ../lib/relay/relayd", Assert.Single(contents, l => l.Contains("./usr/bin/relayd ->", StringComparison.Ordinal)), StringComparison.Ordinal);
        foreach (var unit in new[] { "relayd.service", "relay-firewall.service", "relay-client.service" })
        {
            Assert.StartsWith("-rw-r--r-- root/root", Entry("usr/lib/systemd/system/" + unit), StringComparison.Ordinal);
        }
        Entry("usr/lib/sysusers.d/relay.conf");
        Entry("usr/lib/sysctl.d/60-relay.conf");
        Entry("usr/share/doc/relay/configuration.md");
        Assert.StartsWith("-rw-r-----", Entry("etc/relay/relayd.json"), StringComparison.Ordinal);
        Assert.StartsWith("-rw-r-----", Entry("etc/relay/ppp-secrets"), StringComparison.Ordinal);
        foreach (var bpf in Directory.GetFiles(ApplianceScripts.Bin, "*.o"))
        {
            Entry("usr/lib/relay/" + Path.GetFileName(bpf));
        }

        var control = Path.Combine(_dir, "control");
        Shell.MustRun("dpkg-deb", "-e", deb, control);
        Assert.Equal("/etc/relay/relayd.json\n/etc/relay/ppp-secrets\n", File.ReadAllText(Path.Combine(control, "conffiles")));
        var postinst = File.ReadAllText(Path.Combine(control, "postinst"));
        Assert.Contains("systemd-sysusers relay.conf", postinst, StringComparison.Ordinal);
        // The package must not start or enable anything: its firewall would cut an operator's SSH session. An
        // upgrade may try-restart what the operator already runs; the echoed advice is not a command.
        var commands = postinst.Split('\n').Select(l => l.TrimStart()).Where(l => !l.StartsWith("echo", StringComparison.Ordinal) && !l.StartsWith('#'));
        Assert.DoesNotContain(commands, l => Regex.IsMatch(l, @"\bsystemctl\s+(?:--\S+\s+)*(?:enable|start|restart|reenable)\b"));
        Assert.Contains("systemctl try-restart relayd.service", postinst, StringComparison.Ordinal);

        // The packaged default config is valid for the packaged relayd.
        var data = Path.Combine(_dir, "data");
        Shell.MustRun("dpkg-deb", "-x", deb, data);
        var check = Shell.Run(Path.Combine(data, "usr/lib/relay/relayd"), ["--check-config", Path.Combine(data, "etc/relay/relayd.json")]);
        Assert.True(check.Succeeded, check.ToString());
    }
}
