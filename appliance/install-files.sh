#!/usr/bin/env bash
# Places Relay under ROOT: the binaries and BPF objects from BIN, systemd units, sysusers and sysctl
# files, the default configuration and the docs. Shared by build-image.sh (the image) and `make deb`
# (the package), so both ship the same files.
#   appliance/install-files.sh ROOT BIN
set -euo pipefail
root=${1:?usage: install-files.sh ROOT BIN}
bin=${2:?usage: install-files.sh ROOT BIN}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

# Binaries and eBPF objects together in /usr/lib/relay (relayd loads relay_xdp.o / relay_tc.o from its own
# directory, which the kernel reports through /proc/self/exe with symlinks resolved); commands in /usr/bin.
install -d -m 0755 "$root/usr/bin" "$root/usr/lib/relay"
for b in relayd relay-client relayctl; do
  if [ -x "$bin/$b" ]; then
    install -m 0755 "$bin/$b" "$root/usr/lib/relay/$b"
    ln -sf "../lib/relay/$b" "$root/usr/bin/$b"
  fi
done
if compgen -G "$bin/*.o" >/dev/null; then
  install -m 0644 "$bin"/*.o "$root/usr/lib/relay/"
fi

install -d -m 0755 "$root/usr/lib/systemd/system" "$root/usr/lib/sysusers.d" "$root/usr/lib/sysctl.d" \
  "$root/usr/share/doc/relay" "$root/etc/relay"
install -m 0644 "$here"/systemd/*.service "$root/usr/lib/systemd/system/"
install -m 0644 "$here/sysusers.d/relay.conf" "$root/usr/lib/sysusers.d/relay.conf"
install -m 0644 "$here/sysctl.d/60-relay.conf" "$root/usr/lib/sysctl.d/60-relay.conf"
# relayd runs as user relay and reads these through group relay (set by the caller once the group exists).
chmod 0750 "$root/etc/relay"
install -m 0640 "$here/config/relayd.json" "$root/etc/relay/relayd.json"
install -m 0640 "$here/config/ppp-secrets" "$root/etc/relay/ppp-secrets"
install -m 0644 "$repo/README.md" "$repo/docs/configuration.md" "$here/tuning.md" "$root/usr/share/doc/relay/"
install -m 0644 "$here/README.md" "$root/usr/share/doc/relay/appliance.md"
