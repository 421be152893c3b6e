#!/usr/bin/env bash
# Builds the Relay appliance image: a Debian 12 root filesystem (debootstrap) with the AOT
# binaries, BPF objects, systemd units, default configuration, nftables firewall and sysctl
# tuning, packed as a compressed raw disk that boots on its own on a PC with BIOS or UEFI firmware,
# plus the kernel and initrd for direct boot and a manifest (versions, hashes).
#
#   appliance/build-image.sh [--bin DIR] [--out DIR] [--cache DIR] [--size MiB]
#   appliance/build-image.sh --base-only [--cache DIR]
#
#   --bin    AOT binaries (relayd, and relay-client/relayctl when present)   default artifacts/bin
#   --out    output directory                                                 default artifacts/appliance
#   --cache  debootstrap base cache, keyed by suite + package list            default /var/cache/relay-appliance
#   --size   root filesystem size in MiB (the disk is 65 MiB larger)          default 1024
#   --base-only  make sure the cached debootstrap base exists, print "base: PATH" and stop
#                (the package install test unpacks it to install the .deb into a clean Debian 12)
#
# Output: relay-appliance.raw.zst (the disk: an MBR partition table with GRUB for BIOS in sector 0 and
# the gap before the first partition, an EFI system partition with GRUB for UEFI, and one ext4 root
# partition labelled relay-root; write it to a disk with `zstd -d -c relay-appliance.raw.zst | dd
# of=/dev/sdX bs=4M`, or boot it with `qemu-system-x86_64 -drive file=relay-appliance.raw,format=raw,if=virtio`),
# relay-appliance.raw (the same, uncompressed), vmlinuz and initrd.img (for direct kernel boot: -append
# "root=LABEL=relay-root console=ttyS0"), manifest.txt. Runs as root (debootstrap); needs no loop device
# and no mount: the filesystems are made in files (mke2fs -d, mtools) and copied to their partitions'
# offsets, the boot loaders by grub-mkimage and copied to their sectors.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

bin=artifacts/bin
out=artifacts/appliance
cache=${RELAY_APPLIANCE_CACHE:-/var/cache/relay-appliance}
size=1024
base_only=
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --base-only) base_only=1; shift ;;
    -h|--help) sed -n '2,/^set -e/{/^set -e/d;p}' "$0"; exit 0 ;;
    *) echo "build-image: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

suite=bookworm
mirror=${RELAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What the appliance runs on besides relayd: systemd as init (Type=notify, watchdog), udev for the
# virtio/NIC devices, networkd for DHCP, nftables for the firewall, the cloud kernel (virtio built in).
packages=(systemd systemd-sysv udev dbus kmod iproute2 nftables procps
          linux-image-cloud-amd64 initramfs-tools zstd)

[ "$(id -u)" -eq 0 ] || { echo "build-image: must run as root (debootstrap)" >&2; exit 2; }
for tool in debootstrap mke2fs zstd sha256sum sfdisk grub-mkimage flock; do
  command -v "$tool" >/dev/null || { echo "build-image: $tool missing (run scripts/install-deps.sh)" >&2; exit 2; }
done
grub_dir=/usr/lib/grub/i386-pc
grub_efi_dir=/usr/lib/grub/x86_64-efi
if [ -z "$base_only" ]; then
  [ -x "$bin/relayd" ] || { echo "build-image: $bin/relayd missing (run make publish)" >&2; exit 2; }
  [ -f "$grub_dir/boot.img" ] || { echo "build-image: $grub_dir missing (grub-pc-bin; run scripts/install-deps.sh)" >&2; exit 2; }
  [ -f "$grub_efi_dir/kernel.img" ] || { echo "build-image: $grub_efi_dir missing (grub-efi-amd64-bin; run scripts/install-deps.sh)" >&2; exit 2; }
  command -v mformat >/dev/null || { echo "build-image: mformat missing (mtools; run scripts/install-deps.sh)" >&2; exit 2; }
fi

started=$(date +%s)
key=$(printf '%s\n' "$suite" "$mirror" "${packages[@]}" | sha256sum | cut -c1-16)
base=$cache/base-$suite-$key.tar.zst
mkdir -p "$cache"
[ -n "$base_only" ] || mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/relay-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"

# One debootstrap at a time per cache: the image build and the package install test may both find it cold.
exec 9>"$cache/.lock"
flock 9
if [ -f "$base" ]; then
  if [ -n "$base_only" ]; then echo "base: $base"; exit 0; fi
  echo "build-image: base from cache $base"
  tar --zstd -xpf "$base" -C "$root" --numeric-owner
else
  echo "build-image: debootstrap $suite (cold; cached as $base)"
  debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" "$suite" "$root" "$mirror"
  # The cache holds the base only: what this script adds below is redone on every build.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar --zstd -cpf "$base.tmp" -C "$root" --numeric-owner .
  mv "$base.tmp" "$base"
  if [ -n "$base_only" ]; then echo "base: $base"; exit 0; fi
fi
flock -u 9

echo "build-image: installing Relay"
appliance/install-files.sh "$root" "$bin"
chroot "$root" systemd-sysusers
chroot "$root" chgrp -R relay /etc/relay

# The appliance's identity and boot plumbing.
echo relay > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\trelay\n' > "$root/etc/hosts"
# The root filesystem by UUID (made here, recorded in the manifest): the disk may be vda, sda or nvme0n1.
uuid=$(cat /proc/sys/kernel/random/uuid)
printf 'UUID=%s\t/\text4\terrors=remount-ro\t0\t1\n' "$uuid" > "$root/etc/fstab"
install -D -m 0644 /dev/stdin "$root/etc/systemd/network/80-wired.network" <<'EOF'
[Match]
Name=en* eth*

[Network]
DHCP=yes
EOF
chroot "$root" systemctl enable systemd-networkd.service relay-firewall.service relayd.service >/dev/null 2>&1
chroot "$root" systemctl enable serial-getty@ttyS0.service >/dev/null 2>&1 || true
chroot "$root" systemctl set-default multi-user.target >/dev/null 2>&1
# Machine id on first boot, never baked into the image (dbus keeps a copy of its own).
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"

# GRUB's configuration. It boots the /vmlinuz and /initrd.img symlinks that Debian's kernel package keeps
# pointing at the newest kernel, so a kernel upgrade inside the appliance needs no boot loader update.
# Console on the first serial port and the screen; the last console= is /dev/console, so systemd and
# relayd's first-boot secret go to the serial port, where a headless box is administered.
[ -e "$root/vmlinuz" ] && [ -e "$root/initrd.img" ] || { echo "build-image: /vmlinuz or /initrd.img missing in the root filesystem" >&2; exit 1; }
cmdline="root=UUID=$uuid ro console=tty0 console=ttyS0,115200n8 net.ifnames=1 panic=10"
install -d -m 0755 "$root/boot/grub"
cat > "$root/boot/grub/grub.cfg" <<EOF
# Relay appliance boot menu (written by appliance/build-image.sh). GRUB itself is in the disk's first
# megabyte (BIOS) and the EFI system partition (UEFI), not managed from inside the appliance.
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set default=0
set timeout=2
menuentry 'Relay appliance (Debian 12)' {
  search --no-floppy --fs-uuid --set=root $uuid
  linux /vmlinuz $cmdline
  initrd /initrd.img
}
EOF

# Kernel and initrd for direct boot.
cp "$root"/boot/vmlinuz-* "$out/vmlinuz"
cp "$root"/boot/initrd.img-* "$out/initrd.img"

echo "build-image: packing"
rm -f "$out/relay-appliance.raw" "$out/relay-appliance.raw.zst"
# Disk layout (512-octet sectors), one disk for BIOS and UEFI firmware alike:
#   0            MBR: GRUB's boot.img in its first 440 octets, then the disk signature and partition table
#   1 ..         GRUB's core.img for BIOS (in the gap before the first partition)
#   2048 ..      partition 1, type ef: the EFI system partition (FAT32), EFI/BOOT/BOOTX64.EFI = GRUB for UEFI
#   after it ..  partition 2, type 83, bootable: the ext4 root filesystem, to the end of the disk
# UEFI firmware reads MBR partition tables too, so the disk needs no GPT. Partitions start on MiB
# boundaries (aligned for any flash page or RAID stripe).
esp_mib=64
esp_start=2048
root_start=$(( esp_start + esp_mib * 2048 ))
mke2fs -q -t ext4 -L relay-root -U "$uuid" -d "$root" "$work/root.ext4" "${size}M"
truncate -s $(( (1 + esp_mib + size) * 1024 * 1024 )) "$work/disk.raw"
printf 'label: dos\nunit: sectors\n\nstart=%d, size=%d, type=ef\nstart=%d, type=83, bootable\n' \
  "$esp_start" $(( esp_mib * 2048 )) "$root_start" | sfdisk -q --wipe never "$work/disk.raw"
dd if="$work/root.ext4" of="$work/disk.raw" bs=1M seek=$(( root_start / 2048 )) conv=notrunc,sparse status=none
rm -f "$work/root.ext4"

# Both GRUBs run the same embedded config: find the root filesystem by its UUID and read its
# /boot/grub/grub.cfg (the prefix names the root partition only as a fallback).
printf 'search --no-floppy --fs-uuid --set=root %s\nset prefix=($root)/boot/grub\n' "$uuid" > "$work/early.cfg"
grub_modules=(part_msdos ext2 search search_fs_uuid normal configfile linux boot serial terminal echo test)

# BIOS: core.img is diskboot.img (its sector) + the GRUB kernel with the modules. grub-mkimage writes the
# number of sectors that follow diskboot into diskboot's block list; the list's start sector defaults
# to 2, which is where the second sector of core.img lies when core.img starts at sector 1.
grub-mkimage -O i386-pc -d "$grub_dir" -c "$work/early.cfg" -p '(hd0,msdos2)/boot/grub' -o "$work/core.img" \
  biosdisk "${grub_modules[@]}"
core_sectors=$(( ($(stat -c %s "$work/core.img") + 511) / 512 ))
[ $(( 1 + core_sectors )) -le "$esp_start" ] || { echo "build-image: core.img ($core_sectors sectors) does not fit before the first partition" >&2; exit 1; }
# The block list: start (8 octets) and length (2) at octets 500 and 508 of diskboot's sector. Checked, not trusted.
listed_start=$(od -An -tu8 -j 500 -N 8 "$work/core.img" | tr -d ' ')
listed=$(od -An -tu2 -j 508 -N 2 "$work/core.img" | tr -d ' ')
[ "$listed_start" -eq 2 ] && [ "$listed" -eq $(( core_sectors - 1 )) ] || {
  echo "build-image: core.img block list says $listed sectors from sector $listed_start, core.img has $(( core_sectors - 1 )) from sector 2" >&2; exit 1; }
dd if="$grub_dir/boot.img" of="$work/disk.raw" bs=440 count=1 conv=notrunc status=none
dd if="$work/core.img" of="$work/disk.raw" bs=512 seek=1 conv=notrunc status=none

# UEFI: GRUB as the removable-media boot path, which firmware boots without a boot entry in NVRAM.
grub-mkimage -O x86_64-efi -d "$grub_efi_dir" -c "$work/early.cfg" -p '(hd0,msdos2)/boot/grub' -o "$work/BOOTX64.EFI" \
  fat efi_gop efi_uga "${grub_modules[@]}"
truncate -s "${esp_mib}M" "$work/esp.fat"
mformat -i "$work/esp.fat" -F -v RELAY-ESP -N "$(printf '%.8s' "${uuid//-/}")" ::
mmd -i "$work/esp.fat" ::/EFI ::/EFI/BOOT
mcopy -i "$work/esp.fat" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
dd if="$work/esp.fat" of="$work/disk.raw" bs=1M seek=$(( esp_start / 2048 )) conv=notrunc,sparse status=none
mv "$work/disk.raw" "$out/relay-appliance.raw"
zstd -q -T0 -3 -f "$out/relay-appliance.raw" -o "$out/relay-appliance.raw.zst"

{
  echo "relay-appliance image"
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git: $(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "debian: $suite $(cat "$root/etc/debian_version")"
  echo "base: $(basename "$base")"
  echo "kernel: $(basename "$root"/boot/vmlinuz-*)"
  echo "boot: bios+uefi grub $(grub-mkimage --version | awk '{print $NF}'), mbr, esp partition 1 at sector $esp_start, root partition 2 at sector $root_start, ext4 label relay-root uuid $uuid"
  echo "kernel command line: $cmdline"
  echo "disk: $(stat -c %s "$out/relay-appliance.raw") octets raw, $(stat -c %s "$out/relay-appliance.raw.zst") octets zstd"
  echo "relayd: $("$root/usr/bin/relayd" --version)"
  echo
  echo "# sha256"
  (cd "$out" && sha256sum relay-appliance.raw.zst vmlinuz initrd.img)
  (cd "$root" && sha256sum usr/lib/relay/* etc/relay/* usr/lib/systemd/system/relay*.service)
  echo
  echo "# packages"
  chroot "$root" dpkg-query -W -f='${Package} ${Version}\n'
} > "$out/manifest.txt"
echo "build-image: done in $(( $(date +%s) - started )) s: $out/relay-appliance.raw.zst ($(du -h "$out/relay-appliance.raw.zst" | cut -f1))"
