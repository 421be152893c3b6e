#!/usr/bin/env bash
# Installs every Debian package that building, testing and the real-peer checks need.
# Idempotent: packages already present are not reinstalled, and apt-get update runs only
# when something is missing.
set -euo pipefail

packages=(
  # Native AOT toolchain
  clang lld zlib1g-dev make
  # network test topology and NAT
  iproute2 nftables ethtool iputils-ping procps util-linux
  # packet checking and third-party peers
  tshark tcpdump stun-client xl2tpd l2tpns python3-scapy
  # RADIUS for l2tpns's PPP authentication (the tests run their own freeradius in a namespace)
  freeradius freeradius-utils
  strongswan strongswan-swanctl charon-systemd libcharon-extra-plugins
  # appliance: image build (debootstrap, ext4 without mounting, zstd), boot test (qemu, python3 for the
  # STUN probe), unit checks (systemd-analyze), package (dpkg-deb)
  debootstrap e2fsprogs zstd qemu-system-x86 python3 systemd dpkg
  # appliance: the disk image's boot loaders for BIOS and UEFI (GRUB images only: the -bin packages never
  # touch this host's own boot disk), partition table (sfdisk), EFI system partition (mtools), and the
  # UEFI firmware the boot test runs (ovmf)
  grub-pc-bin grub-efi-amd64-bin fdisk mtools ovmf
  # eBPF fast path
  bpftool libbpf-dev libbpf1 gcc-multilib
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# The end-to-end tests start their own l2tpns and freeradius in namespaces; a packaged service
# left running on the host would hold UDP 1701 (l2tpns) or 1812/1813 (freeradius). Runs on every
# call, so a service some other install started is stopped too.
stop_host_services() {
  local service pidfile pid
  for service in l2tpns:/run/l2tpns.pid freeradius:/run/freeradius/freeradius.pid; do
    pidfile=${service#*:}
    service=${service%%:*}
    [ -e "/usr/sbin/$service" ] || continue
    if [ -d /run/systemd/system ]; then
      if systemctl is-enabled --quiet "$service" 2>/dev/null || systemctl is-active --quiet "$service" 2>/dev/null; then
        systemctl disable --now "$service"
      fi
      continue
    fi
    # No systemd (containers): keep the SysV script from starting it at boot, and stop only the
    # instance that script started (its pid file), never the tests' own instances.
    update-rc.d "$service" disable >/dev/null 2>&1 || true
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "/usr/sbin/$service" ]; then
      echo "install-deps: stopping the host's $service (pid $pid)"
      kill "$pid"
    fi
  done
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  stop_host_services
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

stop_host_services
