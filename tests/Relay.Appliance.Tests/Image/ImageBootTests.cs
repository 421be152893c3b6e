using System.Buffers.Binary;
using System.Text.Json;
using Relay.Topology;

namespace Relay.Appliance.Tests.Image;

/// <summary>
/// The appliance image end to end: appliance/build-image.sh builds it once for the class (Debian 12 by
/// debootstrap, the base cached in /var/cache/relay-appliance), then appliance/boot-image.sh boots the disk
/// alone under qemu-system-x86_64, once on BIOS firmware (SeaBIOS, the MBR's GRUB, a virtio disk) and once on
/// UEFI firmware (OVMF, the EFI system partition's GRUB, an NVMe disk), never with -kernel; each boot waits for
/// relayd's READY on the serial console and asks STUN through the user-net port forward.
/// Cold cache: about 7 minutes here; warm: see the README of appliance/.
/// </summary>
public sealed class ImageBootTests(ImageBootTests.BuiltImage image) : IClassFixture<ImageBootTests.BuiltImage>
{
    private const string BootLoaderMenuEntry = "Relay appliance (Debian 12)";

    [Fact]
    public void Image_is_a_partitioned_disk_with_grub_for_bios_and_uefi_and_a_manifest()
    {
        foreach (var file in new[] { "relay-appliance.raw.zst", "vmlinuz", "initrd.img", "manifest.txt" })
        {
            Assert.True(File.Exists(Path.Combine(image.Directory, file)), $"{file} missing after {image.Took}");
        }
        var manifest = image.Manifest;
        Assert.Contains("debian: bookworm 12.", manifest, StringComparison.Ordinal);
        Assert.Contains(" usr/lib/relay/relayd\n", manifest, StringComparison.Ordinal);
        Assert.Contains(" relay-appliance.raw.zst\n", manifest, StringComparison.Ordinal);
        Assert.Contains("\nnftables ", manifest, StringComparison.Ordinal);
        Assert.Contains("boot: bios+uefi grub ", manifest, StringComparison.Ordinal);

        // An MBR (dos) table: the EFI system partition at 1 MiB, then the bootable Linux root partition to the end.
        var raw = image.Raw;
        using (var table = JsonDocument.Parse(Shell.MustRun("sfdisk", "--json", raw).StandardOutput))
        {
            var partitionTable = table.RootElement.GetProperty("partitiontable");
            Assert.Equal("dos", partitionTable.GetProperty("label").GetString());
            var partitions = partitionTable.GetProperty("partitions").EnumerateArray().ToArray();
            Assert.Equal(2, partitions.Length);
            var (esp, root) = (partitions[0], partitions[1]);
            Assert.Equal(2048, esp.GetProperty("start").GetInt64());
            Assert.Equal("ef", esp.GetProperty("type").GetString());
            Assert.Equal("83", root.GetProperty("type").GetString());
            Assert.True(root.GetProperty("bootable").GetBoolean());
            Assert.Equal(esp.GetProperty("start").GetInt64() + esp.GetProperty("size").GetInt64(), root.GetProperty("start").GetInt64());
            Assert.Equal(new FileInfo(raw).Length / 512, root.GetProperty("start").GetInt64() + root.GetProperty("size").GetInt64());

            // The EFI system partition is FAT32 with GRUB on the removable-media path firmware boots by itself.
            var espAt = $"{raw}@@{esp.GetProperty("start").GetInt64() * 512}";
            Assert.Contains("disk type=\"FAT32", Shell.MustRun("minfo", "-i", espAt, "::").StandardOutput, StringComparison.Ordinal);
            Assert.Contains("::/EFI/BOOT/BOOTX64.EFI", Shell.MustRun("mdir", "-b", "-i", espAt, "::/EFI/BOOT").StandardOutput, StringComparison.Ordinal);
        }

        // GRUB's boot.img in the MBR's first 440 octets, its core.img (diskboot.img, then the GRUB kernel) from sector 1.
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
        // diskboot's block list (the last 12 octets of its sector): the rest of core.img from sector 2, its
        // length filled in, all of it before the first partition.
        Assert.Equal(2UL, BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(512 + 500)));
        var coreSectors = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(512 + 508));
        Assert.InRange(coreSectors, 1, 2048 - 2);
    }

    [Fact]
    public void Disk_alone_boots_on_bios_reports_ready_and_answers_stun_through_the_port_forward()
    {
        var console = Boot("bios", "vda2");
        // SeaBIOS ran the MBR, core.img loaded and found the root partition.
        Assert.Contains("GRUB loading", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Disk_alone_boots_on_uefi_from_nvme_reports_ready_and_answers_stun_through_the_port_forward()
    {
        // An NVMe disk this time: the root is found by UUID whatever the kernel names the disk.
        var console = Boot("uefi", "nvme0n1p2", "--uefi", "--nvme");
        // OVMF (EDK II) started the kernel as an EFI program through the ESP's GRUB.
        Assert.Contains("efi: EFI v", console, StringComparison.Ordinal);
        Assert.DoesNotContain("GRUB loading", console, StringComparison.Ordinal);
    }

    /// <summary>Boots the disk alone, checks what every boot must show, and returns the serial console.</summary>
    private string Boot(string name, string rootDevice, params string[] options)
    {
        var serial = Path.Combine(image.Directory, $"serial-{name}.log");
        var (boot, booted) = ApplianceScripts.Run("appliance/boot-image.sh", TimeSpan.FromMinutes(6), [image.Directory, .. options, "--timeout", "300", "--log", serial]);
        Assert.True(boot.Succeeded, $"{boot}\nbuild took {image.Took}");
        Assert.Contains(" boot from the disk", boot.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("boot-image: relayd READY after", boot.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("STUN Binding success, XOR-MAPPED-ADDRESS", boot.StandardOutput, StringComparison.Ordinal);
        var console = File.ReadAllText(serial);
        // The disk's GRUB showed its menu from the root partition's grub.cfg and started the kernel (GRUB alone
        // adds BOOT_IMAGE=); the root filesystem, found by UUID, is the disk's second partition.
        Assert.Contains(BootLoaderMenuEntry, console, StringComparison.Ordinal);
        Assert.Contains($"Command line: BOOT_IMAGE=/vmlinuz root=UUID={image.RootUuid} ", console, StringComparison.Ordinal);
        Assert.Contains($"EXT4-fs ({rootDevice}): mounted filesystem", console, StringComparison.Ordinal);
        // First boot: tunnel authentication on with a generated secret, printed on the console.
        Assert.Contains("first start, generated a new tunnel secret", console, StringComparison.Ordinal);
        Assert.Contains("TUNNEL SECRET: ", console, StringComparison.Ordinal);
        Assert.Contains("tunnel authentication on", console, StringComparison.Ordinal);
        Console.WriteLine($"image build {image.Took.TotalSeconds:0} s, {name} boot to STUN answer {booted.TotalSeconds:0} s");
        return console;
    }

    /// <summary>The image, built once for the class into a temporary directory.</summary>
    public sealed class BuiltImage : IDisposable
    {
        public BuiltImage()
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("relay-image-").FullName;
            var (build, took) = ApplianceScripts.Run("appliance/build-image.sh", TimeSpan.FromMinutes(20), "--bin", ApplianceScripts.Bin, "--out", Directory);
            if (!build.Succeeded)
            {
                System.IO.Directory.Delete(Directory, recursive: true);
                throw new InvalidOperationException(build.ToString());
            }
            Took = took;
            Manifest = File.ReadAllText(Path.Combine(Directory, "manifest.txt"));
            var boot = Manifest.Split('\n').Single(l => l.StartsWith("boot: ", StringComparison.Ordinal)).Split(' ');
            var uuid = Array.IndexOf(boot, "uuid");
            RootUuid = uuid > 0 && uuid + 1 < boot.Length ? boot[uuid + 1] : throw new InvalidOperationException("no root uuid in the manifest:\n" + Manifest);
        }

        public string Directory { get; }

        public TimeSpan Took { get; }

        public string Manifest { get; }

        /// <summary>The root filesystem's UUID, from the manifest's boot line.</summary>
        public string RootUuid { get; }

        public string Raw => Path.Combine(Directory, "relay-appliance.raw");

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
