#!/usr/bin/env bash
# `make deb`: the Debian package for operators who install Relay on their own Debian 12:
# artifacts/relay_VERSION_amd64.deb with the AOT binaries, BPF objects, units, sysusers/sysctl
# files and the default configuration (conffiles). Nothing is started on install: the firewall it
# brings drops SSH unless firewall.sshFrom allows it, so the operator enables the services.
#   appliance/build-deb.sh [--bin DIR] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=artifacts/bin
out=artifacts
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "build-deb: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -x "$bin/relayd" ] || { echo "build-deb: $bin/relayd missing (run make publish)" >&2; exit 2; }
version=$("$bin/relayd" --version | awk '{print $2}')
stage=$(mktemp -d "${TMPDIR:-/tmp}/relay-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"

install -d -m 0755 "$stage/DEBIAN"
appliance/install-files.sh "$stage" "$bin"

cat > "$stage/DEBIAN/control" <<CONTROL
Package: relay
Version: $version
Architecture: amd64
Maintainer: Relay maintainers <relay@localhost>
Section: net
Priority: optional
Depends: libc6 (>= 2.36), systemd, nftables
Installed-Size: $(du -sk "$stage/usr" "$stage/etc" | awk '{s+=$1} END {print s}')
Description: carries IPsec through NATs inside L2TPv2/PPP
 relayd (the relay: L2TP LNS and STUN), relay-client (the client) and relayctl
 (the operator's command line), with systemd units, an nftables firewall
 generated from the configuration and kernel tuning.
CONTROL
printf '/etc/relay/relayd.json\n/etc/relay/ppp-secrets\n' > "$stage/DEBIAN/conffiles"

cat > "$stage/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  systemd-sysusers relay.conf
  chgrp relay /etc/relay /etc/relay/relayd.json /etc/relay/ppp-secrets
  # Only on a running system: in a chroot (an image build) /proc/sys would be the build host's.
  # systemd-sysctl lives outside PATH; a key the running kernel lacks (conntrack not loaded) is not fatal.
  if [ -d /run/systemd/system ]; then
    /usr/lib/systemd/systemd-sysctl 60-relay.conf || true
    systemctl daemon-reload
    # An upgrade runs the new binaries where the old ones were running (the package never starts them).
    if [ -n "$2" ]; then systemctl try-restart relayd.service relay-client.service || true; fi
  fi
  if [ -z "$2" ]; then
    echo "relay: edit /etc/relay/relayd.json (firewall.sshFrom before you enable the firewall over SSH),"
    echo "relay: then: systemctl enable --now relay-firewall relayd"
  fi
fi
SCRIPT
cat > "$stage/DEBIAN/prerm" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = remove ]; then
  if [ -d /run/systemd/system ]; then
    systemctl stop relayd.service relay-client.service relay-firewall.service || true
  fi
  # Also offline (a chroot, a system booted without systemd): the unit files go with the package, and an
  # enable link left behind would point at nothing. systemctl enables and disables without a running systemd.
  systemctl disable --quiet relayd.service relay-client.service relay-firewall.service || true
fi
SCRIPT
cat > "$stage/DEBIAN/postrm" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = purge ]; then
  rm -rf /var/lib/relay
fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
SCRIPT
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm" "$stage/DEBIAN/postrm"

mkdir -p "$out"
deb=$out/relay_${version}_amd64.deb
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$deb" >/dev/null
echo "build-deb: $deb ($(du -h "$deb" | cut -f1))"
