#!/usr/bin/env bash
# Builds the Relay appliance image: a Debian 12 root filesystem (debootstrap) with the AOT
# binaries, BPF objects, systemd units, default configuration, nftables firewall and sysctl
# tuning, packed as a compressed raw ext4 disk image, plus the kernel and initrd to boot it and a
# manifest (versions, hashes).
#
#   appliance/build-image.sh [--bin DIR] [--out DIR] [--cache DIR] [--size MiB]
#
#   --bin    AOT binaries (relayd, and relay-client/relayctl when present)   default artifacts/bin
#   --out    output directory                                                 default artifacts/appliance
#   --cache  debootstrap base cache, keyed by suite + package list            default /var/cache/relay-appliance
#   --size   filesystem size in MiB                                           default 1024
#
# Output: relay-appliance.raw.zst (the disk: one ext4 filesystem, no partition table, so it boots by
# the kernel + initrd beside it: qemu -kernel vmlinuz -initrd initrd.img -append "root=/dev/vda
# console=ttyS0"), relay-appliance.raw (the same, uncompressed, for a quick local boot), vmlinuz,
# initrd.img, manifest.txt. Runs as root (debootstrap); needs no loop device and no mount.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

bin=artifacts/bin
out=artifacts/appliance
cache=${RELAY_APPLIANCE_CACHE:-/var/cache/relay-appliance}
size=1024
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
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
for tool in debootstrap mke2fs zstd sha256sum; do
  command -v "$tool" >/dev/null || { echo "build-image: $tool missing (run scripts/install-deps.sh)" >&2; exit 2; }
done
[ -x "$bin/relayd" ] || { echo "build-image: $bin/relayd missing (run make publish)" >&2; exit 2; }

started=$(date +%s)
key=$(printf '%s\n' "$suite" "$mirror" "${packages[@]}" | sha256sum | cut -c1-16)
base=$cache/base-$suite-$key.tar.zst
mkdir -p "$cache" "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/relay-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"

if [ -f "$base" ]; then
  echo "build-image: base from cache $base"
  tar --zstd -xpf "$base" -C "$root" --numeric-owner
else
  echo "build-image: debootstrap $suite (cold; cached as $base)"
  debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" "$suite" "$root" "$mirror"
  # The cache holds the base only: what this script adds below is redone on every build.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar --zstd -cpf "$base.tmp" -C "$root" --numeric-owner .
  mv "$base.tmp" "$base"
fi

echo "build-image: installing Relay"
install -d -m 0755 "$root/usr/bin" "$root/usr/lib/relay/bpf" "$root/etc/relay"
for b in relayd relay-client relayctl; do
  [ -x "$bin/$b" ] && install -m 0755 "$bin/$b" "$root/usr/bin/$b"
done
# eBPF objects (make bpf puts them beside the binaries).
if compgen -G "$bin/*.o" >/dev/null; then
  install -m 0644 "$bin"/*.o "$root/usr/lib/relay/bpf/"
fi
appliance/install-files.sh "$root"
chroot "$root" systemd-sysusers
chroot "$root" chgrp -R relay /etc/relay

# The appliance's identity and boot plumbing.
echo relay > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\trelay\n' > "$root/etc/hosts"
printf '/dev/vda\t/\text4\terrors=remount-ro\t0\t1\n' > "$root/etc/fstab"
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

# Kernel and initrd for direct boot (the image itself carries no bootloader).
cp "$root"/boot/vmlinuz-* "$out/vmlinuz"
cp "$root"/boot/initrd.img-* "$out/initrd.img"

echo "build-image: packing"
rm -f "$out/relay-appliance.raw" "$out/relay-appliance.raw.zst"
mke2fs -q -t ext4 -L relay-root -d "$root" "$out/relay-appliance.raw" "${size}M"
zstd -q -T0 -3 -f "$out/relay-appliance.raw" -o "$out/relay-appliance.raw.zst"

{
  echo "relay-appliance image"
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git: $(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "debian: $suite $(cat "$root/etc/debian_version")"
  echo "base: $(basename "$base")"
  echo "kernel: $(basename "$root"/boot/vmlinuz-*)"
  echo "relayd: $("$root/usr/bin/relayd" --version)"
  echo
  echo "# sha256"
  (cd "$out" && sha256sum relay-appliance.raw.zst vmlinuz initrd.img)
  (cd "$root" && sha256sum usr/bin/relay* etc/relay/* usr/lib/systemd/system/relay*.service $(ls usr/lib/relay/bpf/*.o 2>/dev/null))
  echo
  echo "# packages"
  chroot "$root" dpkg-query -W -f='${Package} ${Version}\n'
} > "$out/manifest.txt"
echo "build-image: done in $(( $(date +%s) - started )) s: $out/relay-appliance.raw.zst ($(du -h "$out/relay-appliance.raw.zst" | cut -f1))"
