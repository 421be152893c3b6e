using System.Buffers.Binary;
using System.Text.Json;
using Relay.Testing;
using Relay.Topology;

namespace Relay.Appliance.Tests.Image;

/// <summary>
/// The appliance image end to end: appliance/build-image.sh builds it (Debian 12 by debootstrap, the base
/// cached in /var/cache/relay-appliance), appliance/boot-image.sh boots the disk alone under
/// qemu-system-x86_64 (SeaBIOS, then the disk's own GRUB, kernel and initrd: no -kernel), waits for
/// relayd's READY on the serial console and asks STUN through the user-net port forward.
/// Cold cache: about 7 minutes here; warm: see the README of appliance/.
/// </summary>
public sealed class ImageBootTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("relay-image-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Image_builds_boots_reports_ready_and_answers_stun_through_the_port_forward()
    {
        var (build, built) = ApplianceScripts.Run("appliance/build-image.sh", TimeSpan.FromMinutes(20), "--bin", ApplianceScripts.Bin, "--out", _dir);
        Assert.True(build.Succeeded, build.ToString());
        foreach (var file in new[] { "relay-appliance.raw.zst", "vmlinuz", "initrd.img", "manifest.txt" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), $"{file} missing after {built}");
        }
        var manifest = File.ReadAllText(Path.Combine(_dir, "manifest.txt"));
        Assert.Contains("debian: bookworm 12.", manifest, StringComparison.Ordinal);
        Assert.Contains(" usr/lib/relay/relayd\n", manifest, StringComparison.Ordinal);
        Assert.Contains(" relay-appliance.raw.zst\n", manifest, StringComparison.Ordinal);
        Assert.Contains("\nnftables ", manifest, StringComparison.Ordinal);
        Assert.Contains("boot: bios grub ", manifest, StringComparison.Ordinal);
        var uuid = ManifestField(manifest, "uuid");

        // A partitioned disk: an MBR (dos) table with one bootable Linux partition at 1 MiB, GRUB's boot.img
        // in the first 440 octets and its core.img (diskboot.img, then the GRUB kernel) from sector 1.
        var raw = Path.Combine(_dir, "relay-appliance.raw");
        using (var table = JsonDocument.Parse(Shell.MustRun("sfdisk", "--json", raw).StandardOutput))
        {
            var partitionTable = table.RootElement.GetProperty("partitiontable");
            Assert.Equal("dos", partitionTable.GetProperty("label").GetString());
            var partition = Assert.Single(partitionTable.GetProperty("partitions").EnumerateArray());
            Assert.Equal(2048, partition.GetProperty("start").GetInt64());
            Assert.Equal("83", partition.GetProperty("type").GetString());
            Assert.True(partition.GetProperty("bootable").GetBoolean());
            Assert.Equal(new FileInfo(raw).Length / 512, partition.GetProperty("start").GetInt64() + partition.GetProperty("size").GetInt64());
        }
        var head = new byte[2048 * 512];
        using (var disk = File.OpenRead(raw))
        {
            disk.ReadExactly(head);
        }
        var bootImg = File.ReadAllBytes("/usr/lib/grub/i386-pc/boot.img");
        Assert.True(head.AsSpan(0, 440).SequenceEqual(bootImg.AsSpan(0, 440)), "sector 0 does not start with GRUB's boot.img");
        Assert.Equal(0x55, head[510]);
        Assert.Equal(0xAA, head[511]);
        var diskboot = File.ReadAllBytes("/usr/lib/grub/i386-pc/diskboot.img");
        Assert.True(head.AsSpan(512, 500).SequenceEqual(diskboot.AsSpan(0, 500)), "sector 1 is not GRUB's diskboot.img");
        // diskboot's block list (the last 12 octets of its sector): core.img's rest from sector 2, its length
        // filled in, all of it before the partition.
        Assert.Equal(2UL, BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(512 + 500)));
        var coreSectors = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(512 + 508));
        Assert.InRange(coreSectors, 1, 2048 - 2);

        var serial = Path.Combine(_dir, "serial.log");
        var (boot, booted) = ApplianceScripts.Run("appliance/boot-image.sh", TimeSpan.FromMinutes(6), _dir, "--timeout", "300", "--log", serial);
        Assert.True(boot.Succeeded, $"{boot}\nbuild took {built}");
        Assert.Contains(", boot from the disk) pid ", boot.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("boot-image: relayd READY after", boot.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("STUN Binding success, XOR-MAPPED-ADDRESS", boot.StandardOutput, StringComparison.Ordinal);
        var console = File.ReadAllText(serial);
        // The disk booted itself: SeaBIOS ran the MBR, GRUB loaded its menu from the root partition and
        // started the kernel (GRUB alone adds BOOT_IMAGE=), the root filesystem is the first partition by UUID.
        Assert.Contains("GRUB loading", console, StringComparison.Ordinal);
        Assert.Contains("Relay appliance (Debian 12)", console, StringComparison.Ordinal);
        Assert.Contains($"Command line: BOOT_IMAGE=/vmlinuz root=UUID={uuid} ", console, StringComparison.Ordinal);
        Assert.Contains("EXT4-fs (vda1): mounted filesystem", console, StringComparison.Ordinal);
        // First boot: tunnel authentication on with a generated secret, printed on the console.
        Assert.Contains("first start, generated a new tunnel secret", console, StringComparison.Ordinal);
        Assert.Contains("TUNNEL SECRET: ", console, StringComparison.Ordinal);
        Assert.Contains("tunnel authentication on", console, StringComparison.Ordinal);
        Console.WriteLine($"image build {built.TotalSeconds:0} s, boot to STUN answer {booted.TotalSeconds:0} s");
    }

    /// <summary>The word after "NAME " on the manifest's boot line.</summary>
    private static string ManifestField(string manifest, string name)
    {
        var line = Assert.Single(manifest.Split('\n'), l => l.StartsWith("boot: ", StringComparison.Ordinal));
        var words = line.Split(' ');
        var at = Array.IndexOf(words, name);
        Assert.True(at > 0 && at + 1 < words.Length, $"no {name} on the manifest line '{line}'");
        return words[at + 1].TrimEnd(',');
    }
}
