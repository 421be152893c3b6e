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
  strongswan strongswan-swanctl charon-systemd libcharon-extra-plugins
  # eBPF fast path
  bpftool libbpf-dev libbpf1 gcc-multilib
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

# The end-to-end tests start their own l2tpns in a namespace; on a host with systemd the packaged
# service would otherwise keep running an LNS on the host's UDP port 1701.
if [ -d /run/systemd/system ] && systemctl is-enabled --quiet l2tpns 2>/dev/null; then
  systemctl disable --now l2tpns
fi
