using Relay.Topology;

namespace Relay.Appliance.Tests.Packaging;

/// <summary>
/// `make deb` installed with dpkg into a clean Debian 12: the appliance's cached debootstrap base
/// (appliance/build-image.sh --base-only builds it when the cache is cold) unpacked into a directory, the
/// package installed, checked, removed, reinstalled and purged there with `chroot DIR dpkg`. No mount, no
/// running systemd: the maintainer scripts must also work offline, as in an image build.
/// </summary>
public sealed class DebInstallTests : IDisposable
{
    private static readonly TimeSpan DpkgTimeout = TimeSpan.FromMinutes(1);
    private static readonly string[] Units = ["relayd.service", "relay-firewall.service", "relay-client.service"];

    private readonly string _dir = Directory.CreateTempSubdirectory("relay-debinstall-").FullName;
    private readonly string _root;

    public DebInstallTests() => _root = Path.Combine(_dir, "root");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Dpkg_installs_a_working_relay_keeps_the_operators_config_on_remove_and_purges_cleanly()
    {
        var (baseRun, baseTook) = ApplianceScripts.Run("appliance/build-image.sh", TimeSpan.FromMinutes(20), "--base-only");
        Assert.True(baseRun.Succeeded, baseRun.ToString());
        var baseTarball = Assert.Single(baseRun.StandardOutput.Split('\n'), l => l.StartsWith("base: ", StringComparison.Ordinal))["base: ".Length..];
        var (debRun, _) = ApplianceScripts.Run("appliance/build-deb.sh", TimeSpan.FromMinutes(2), "--bin", ApplianceScripts.Bin, "--out", _dir);
        Assert.True(debRun.Succeeded, debRun.ToString());
        var deb = Assert.Single(Directory.GetFiles(_dir, "relay_*_amd64.deb"));
        Directory.CreateDirectory(_root);
        Succeeded(Shell.Run("tar", ["--zstd", "-xpf", baseTarball, "-C", _root, "--numeric-owner"], TimeSpan.FromMinutes(2)));
        File.Copy(deb, Path.Combine(_root, "tmp/relay.deb"));

        // Install: no prompt, no maintainer script complaint, the operator told what to do next.
        var install = Dpkg("-i", "/tmp/relay.deb");
        Assert.Contains("relay: then: systemctl enable --now relay-firewall relayd", install.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Status: install ok installed", Chroot("dpkg", "-s", "relay").StandardOutput, StringComparison.Ordinal);
        AssertInstalledFiles(present: true);

        // The relay system user and group (systemd-sysusers from the postinst), home = the state directory.
        var user = PasswdEntry("etc/passwd", "relay");
        var group = PasswdEntry("etc/group", "relay");
        Assert.Equal(group[2], user[3]);
        Assert.InRange(int.Parse(user[2], System.Globalization.CultureInfo.InvariantCulture), 1, 999);
        Assert.Equal("/var/lib/relay", user[5]);
        Assert.Equal("/usr/sbin/nologin", user[6]);
        var gid = group[2];

        // /etc/relay: readable by relayd (group relay), by nobody else, writable by root only.
        Assert.Equal($"750 0 {gid}", Stat("etc/relay"));
        Assert.Equal($"640 0 {gid}", Stat("etc/relay/relayd.json"));
        Assert.Equal($"640 0 {gid}", Stat("etc/relay/ppp-secrets"));

        // Nothing enabled by the package (its firewall would cut the operator's SSH); what the postinst tells
        // the operator to enable can be enabled and lands where the units say (sysinit, multi-user).
        Assert.Equal(new[] { "disabled", "disabled", "disabled" }, IsEnabled());
        Chroot("systemctl", "enable", "relay-firewall.service", "relayd.service");
        Assert.Equal(new[] { "enabled", "enabled", "disabled" }, IsEnabled());
        Assert.True(File.Exists(Path.Combine(_root, "etc/systemd/system/sysinit.target.wants/relay-firewall.service")));
        Assert.True(File.Exists(Path.Combine(_root, "etc/systemd/system/multi-user.target.wants/relayd.service")));

        // The shipped configuration is valid for the shipped relayd, also as the user the unit runs it as
        // (ExecStartPre=relayd --check-config as User=relay), and relay-firewall's generator accepts it.
        Assert.Contains("relayd.json: ok", Chroot("relayd", "--check-config", "/etc/relay/relayd.json").StandardOutput, StringComparison.Ordinal);
        Succeeded(Shell.Run("chroot", ["--userspec=relay:relay", _root, "/usr/bin/relayd", "--check-config", "/etc/relay/relayd.json"], stdin: ""));
        Assert.Contains("table inet relay", Chroot("relayd", "--print-firewall", "--config", "/etc/relay/relayd.json").StandardOutput, StringComparison.Ordinal);

        // The operator edits the configuration, adds a file of their own, and relayd has made its secret.
        var config = Path.Combine(_root, "etc/relay/relayd.json");
        var edited = File.ReadAllText(config).TrimEnd() + "\n\n";
        File.WriteAllText(config, edited);
        File.WriteAllText(Path.Combine(_root, "etc/relay/relay-client.json"), "{}\n");
        Directory.CreateDirectory(Path.Combine(_root, "var/lib/relay"));
        File.WriteAllText(Path.Combine(_root, "var/lib/relay/tunnel-secret"), "secret\n");

        // Remove: programs and units gone, no enable link left pointing at nothing; configuration and state kept.
        Dpkg("--remove", "relay");
        Assert.Contains("Status: deinstall ok config-files", Chroot("dpkg", "-s", "relay").StandardOutput, StringComparison.Ordinal);
        AssertInstalledFiles(present: false);
        AssertNoEnableLinks();
        Assert.Equal(edited, File.ReadAllText(config));
        Assert.True(File.Exists(Path.Combine(_root, "var/lib/relay/tunnel-secret")));

        // Reinstall: the operator's edited conffile is kept as it is, without a question (stdin is closed).
        Dpkg("-i", "/tmp/relay.deb");
        Assert.Equal(edited, File.ReadAllText(config));
        Assert.Equal($"640 0 {gid}", Stat("etc/relay/relayd.json"));
        Assert.Equal(new[] { "disabled", "disabled", "disabled" }, IsEnabled());
        AssertInstalledFiles(present: true);

        // Purge: the package's conffiles and relayd's state go; a file the operator added stays (and with it
        // /etc/relay); the relay user stays, as Debian keeps system users (files it owned may remain).
        var purge = Dpkg("--purge", "relay");
        Assert.Contains("directory '/etc/relay' not empty so not removed", purge.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("install", TryChroot("dpkg-query", "-W", "-f=${Status}", "relay").StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(config));
        Assert.False(File.Exists(Path.Combine(_root, "etc/relay/ppp-secrets")));
        Assert.False(Directory.Exists(Path.Combine(_root, "var/lib/relay")));
        Assert.Equal("relay-client.json", Path.GetFileName(Assert.Single(Directory.GetFiles(Path.Combine(_root, "etc/relay")))));
        AssertInstalledFiles(present: false);
        AssertNoEnableLinks();
        PasswdEntry("etc/passwd", "relay");

        // Install and purge with no file of the operator's: nothing of the package is left in /etc.
        File.Delete(Path.Combine(_root, "etc/relay/relay-client.json"));
        Dpkg("-i", "/tmp/relay.deb");
        Dpkg("--purge", "relay");
        Assert.False(Directory.Exists(Path.Combine(_root, "etc/relay")));
        Console.WriteLine($"base ready in {baseTook.TotalSeconds:0.0} s");
    }

    private void AssertInstalledFiles(bool present)
    {
        var files = new List<string> { "usr/lib/relay/relayd", "usr/lib/sysusers.d/relay.conf", "usr/lib/sysctl.d/60-relay.conf", "usr/share/doc/relay/configuration.md" };
        files.AddRange(Units.Select(u => "usr/lib/systemd/system/" + u));
        files.AddRange(Directory.GetFiles(ApplianceScripts.Bin, "*.o").Select(o => "usr/lib/relay/" + Path.GetFileName(o)));
        foreach (var name in new[] { "relay-client", "relayctl" })
        {
            if (File.Exists(Path.Combine(ApplianceScripts.Bin, name)))
            {
                files.Add("usr/lib/relay/" + name);
            }
        }
        foreach (var file in files)
        {
            Assert.True(File.Exists(Path.Combine(_root, file)) == present, $"{file} {(present ? "missing" : "left behind")}");
        }
        var link = new FileInfo(Path.Combine(_root, "usr/bin/relayd"));
        Assert.True(link.Exists == present, $"/usr/bin/relayd {(present ? "missing" : "left behind")}");
        if (present)
        {
            Assert.Equal("../lib/relay/relayd", link.LinkTarget);
            Assert.Equal("755 0 0", Stat("usr/lib/relay/relayd"));
        }
    }

    private void AssertNoEnableLinks()
    {
        var links = Directory.GetFiles(Path.Combine(_root, "etc/systemd/system"), "relay*", SearchOption.AllDirectories);
        Assert.True(links.Length == 0, "enable links left behind: " + string.Join(", ", links));
    }

    private string[] IsEnabled() =>
        TryChroot(["systemctl", "is-enabled", .. Units]).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string[] PasswdEntry(string file, string name)
    {
        var line = Assert.Single(File.ReadAllLines(Path.Combine(_root, file)), l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return line.Split(':');
    }

    /// <summary>Mode (octal), owner and group (numeric: the names are the chroot's, not this host's).</summary>
    private string Stat(string path) => Succeeded(Shell.Run("stat", ["-c", "%a %u %g", Path.Combine(_root, path)])).StandardOutput.Trim();

    /// <summary>dpkg in the chroot: it must succeed, and no maintainer script may complain (a missing command, a failed step).</summary>
    private CommandResult Dpkg(params string[] args)
    {
        var result = Succeeded(Shell.Run("chroot", [_root, "dpkg", .. args], DpkgTimeout, stdin: ""));
        Assert.DoesNotContain("/var/lib/dpkg/info/relay.", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        return result;
    }

    private CommandResult Chroot(params string[] commandAndArgs) => Succeeded(TryChroot(commandAndArgs));

    private CommandResult TryChroot(params string[] commandAndArgs) => Shell.Run("chroot", [_root, .. commandAndArgs], DpkgTimeout, stdin: "");

    private static CommandResult Succeeded(CommandResult result)
    {
        Assert.True(result.Succeeded, result.ToString());
        return result;
    }
}
