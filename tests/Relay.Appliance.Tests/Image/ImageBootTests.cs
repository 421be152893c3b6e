using Relay.Testing;

namespace Relay.Appliance.Tests.Image;

/// <summary>
/// The appliance image end to end: appliance/build-image.sh builds it (Debian 12 by debootstrap, the base
/// cached in /var/cache/relay-appliance), appliance/boot-image.sh boots it under qemu-system-x86_64, waits
/// for relayd's READY on the serial console and asks STUN through the user-net port forward.
/// Cold cache: about 7 minutes here; warm: see the README of appliance/.
/// </summary>
public sealed class ImageBootTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("relay-image-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Image_builds_boots_reports_ready_and_answers_stun_through_the_port_forward()
    {
        var (build, built) = ApplianceScripts.Run("appliance/build-image.sh", TimeSpan.FromMinutes(9), "--bin", ApplianceScripts.Bin, "--out", _dir);
        Assert.True(build.Succeeded, build.ToString());
        foreach (var file in new[] { "relay-appliance.raw.zst", "vmlinuz", "initrd.img", "manifest.txt" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), $"{file} missing after {built}");
        }
        var manifest = File.ReadAllText(Path.Combine(_dir, "manifest.txt"));
        Assert.Contains("debian: bookworm 12.", manifest, StringComparison.Ordinal);
        Assert.Contains(" usr/bin/relayd\n", manifest, StringComparison.Ordinal);
        Assert.Contains(" relay-appliance.raw.zst\n", manifest, StringComparison.Ordinal);
        Assert.Contains("\nnftables ", manifest, StringComparison.Ordinal);

        var serial = Path.Combine(_dir, "serial.log");
        var (boot, booted) = ApplianceScripts.Run("appliance/boot-image.sh", TimeSpan.FromMinutes(6), _dir, "--timeout", "300", "--log", serial);
        Assert.True(boot.Succeeded, $"{boot}\nbuild took {built}");
        Assert.Contains("boot-image: relayd READY after", boot.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("STUN Binding success, XOR-MAPPED-ADDRESS", boot.StandardOutput, StringComparison.Ordinal);
        var console = File.ReadAllText(serial);
        // First boot: tunnel authentication on with a generated secret, printed on the console.
        Assert.Contains("first start, generated a new tunnel secret", console, StringComparison.Ordinal);
        Assert.Contains("TUNNEL SECRET: ", console, StringComparison.Ordinal);
        Assert.Contains("tunnel authentication on", console, StringComparison.Ordinal);
        Console.WriteLine($"image build {built.TotalSeconds:0} s, boot to STUN answer {booted.TotalSeconds:0} s");
    }
}
