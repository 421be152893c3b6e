#!/usr/bin/env bash
# Boots the appliance image under qemu-system-x86_64 (TCG; RELAY_QEMU_ACCEL=kvm to use KVM), waits
# for relayd to report READY to systemd (its log on the serial console), then sends a STUN Binding
# request through qemu's user-network port forward and checks the answer. Exit 0 only if both pass.
#   appliance/boot-image.sh [IMAGE_DIR] [--uefi | --direct] [--nvme] [--port P] [--timeout S] [--log FILE]
# IMAGE_DIR holds relay-appliance.raw (or .raw.zst) (default artifacts/appliance). By default the disk
# boots alone, as a BIOS PC boots it: SeaBIOS, the disk's GRUB (MBR), its kernel and initrd. --uefi boots
# it alone on UEFI firmware (OVMF, Debian package ovmf): the GRUB in the EFI system partition. --direct
# boots vmlinuz and initrd.img from IMAGE_DIR instead (qemu -kernel), skipping firmware and boot loader.
# The disk is a virtio disk (vda), or with --nvme an NVMe one (nvme0n1), as on many edge boxes.
# The image is booted with snapshot=on: nothing is written back to it.
set -euo pipefail
dir=artifacts/appliance
port=$(( 20000 + RANDOM % 20000 ))
timeout=300
log=
direct=
uefi=
nvme=
while [ $# -gt 0 ]; do
  case $1 in
    --port) port=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --direct) direct=1; shift ;;
    --uefi) uefi=1; shift ;;
    --nvme) nvme=1; shift ;;
    -h|--help) sed -n '2,/^set -e/{/^set -e/d;p}' "$0"; exit 0 ;;
    *) dir=$1; shift ;;
  esac
done
command -v qemu-system-x86_64 >/dev/null || { echo "boot-image: qemu-system-x86_64 missing (run scripts/install-deps.sh)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/relay-boot.XXXXXX")
qemu_pid=
cleanup() {
  [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
disk=$dir/relay-appliance.raw
if [ ! -f "$disk" ]; then
  zstd -q -d "$dir/relay-appliance.raw.zst" -o "$work/relay-appliance.raw"
  disk=$work/relay-appliance.raw
fi
serial=${log:-$work/serial.log}
: > "$serial"

# TCG by default: on this project's machines /dev/kvm exists but is a nested KVM that cannot run a guest
# (qemu aborts setting MSRs with -cpu host, and hangs after the boot loader without it). Opt in with
# RELAY_QEMU_ACCEL=kvm where KVM works.
accel=${RELAY_QEMU_ACCEL:-tcg}
# One vCPU by default (RELAY_QEMU_SMP=N for more): boots as fast here as two, and with two on this
# shared 2-core host one vCPU thread can be starved long enough for the guest kernel to stall (an RCU
# stall and a 249 s soft lockup in udev coldplug were seen once in a dozen boots).
smp=${RELAY_QEMU_SMP:-1}
started=$(date +%s)
# The NIC has no option ROM (romfile=): the firmware boots the disk, not the network, and iPXE's
# prompt would only add seconds.
boot=()
mode="boot from the disk"
if [ -n "$uefi" ]; then
  mode="uefi boot from the disk"
  ovmf=/usr/share/ovmf/OVMF.fd
  [ -f "$ovmf" ] || { echo "boot-image: $ovmf missing (ovmf; run scripts/install-deps.sh)" >&2; exit 2; }
  boot=(-bios "$ovmf")
elif [ -n "$direct" ]; then
  mode="direct kernel boot"
  boot=(-kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" -append "root=LABEL=relay-root ro console=ttyS0 panic=-1 net.ifnames=1")
fi
drive=(-drive "file=$disk,format=raw,if=virtio,snapshot=on")
if [ -n "$nvme" ]; then
  drive=(-drive "file=$disk,format=raw,if=none,id=d0,snapshot=on" -device nvme,drive=d0,serial=relay0)
  mode="$mode, nvme"
fi
qemu-system-x86_64 -machine pc,accel=$accel -m 1024 -smp "$smp" -nographic -no-reboot "${boot[@]}" "${drive[@]}" \
  -netdev "user,id=n0,hostfwd=udp:127.0.0.1:$port-:3478" -device virtio-net-pci,netdev=n0,romfile= \
  -serial "file:$serial" -monitor none -display none </dev/null >"$work/qemu.out" 2>&1 &
qemu_pid=$!
echo "boot-image: qemu ($accel, $smp vCPU, $mode) pid $qemu_pid, serial log $serial, STUN via udp 127.0.0.1:$port"

ready=
while [ $(( $(date +%s) - started )) -lt "$timeout" ]; do
  if grep -a -q "systemd: READY=1 sent" "$serial"; then ready=1; break; fi
  if ! kill -0 "$qemu_pid" 2>/dev/null; then echo "boot-image: qemu exited"; cat "$work/qemu.out"; break; fi
  sleep 1
done
if [ -z "$ready" ]; then
  echo "boot-image: relayd did not report READY within ${timeout} s; serial console tail:"
  tail -n 40 "$serial" | tr -d '\r'
  exit 1
fi
if grep -a -q "Failed to start.*relay" "$serial"; then
  echo "boot-image: a Relay unit failed to start:"; grep -a -A3 "Failed to start.*relay" "$serial" | tr -d '\r'
  exit 1
fi
if ! grep -a -q "counter dropped_in" "$serial"; then
  echo "boot-image: relay-firewall did not show table inet relay on the console"; exit 1
fi
echo "boot-image: relay-firewall loaded table inet relay"
echo "boot-image: relayd READY after $(( $(date +%s) - started )) s"
grep -a "TUNNEL SECRET\|systemd: READY\|tunnel authentication" "$serial" | tr -d '\r' | sed 's/TUNNEL SECRET: .*/TUNNEL SECRET: (printed)/' | sed 's/^/boot-image: console: /'

python3 - "$port" <<'PY'
import os, socket, struct, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
txid = os.urandom(12)
request = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + txid
for attempt in range(20):
    s.sendto(request, ("127.0.0.1", port))
    try:
        data, _ = s.recvfrom(2048)
    except socket.timeout:
        continue
    kind, length, cookie = struct.unpack("!HHI", data[:8])
    if kind != 0x0101 or cookie != 0x2112A442 or data[8:20] != txid:
        print(f"boot-image: STUN: unexpected answer type 0x{kind:04x}", flush=True)
        sys.exit(1)
    at = 20
    while at + 4 <= 20 + length:
        atype, alen = struct.unpack("!HH", data[at:at + 4])
        if atype == 0x0020 and alen >= 8:
            xport = struct.unpack("!H", data[at + 6:at + 8])[0] ^ 0x2112
            xaddr = struct.unpack("!I", data[at + 8:at + 12])[0] ^ 0x2112A442
            print(f"boot-image: STUN Binding success, XOR-MAPPED-ADDRESS {socket.inet_ntoa(struct.pack('!I', xaddr))}:{xport}", flush=True)
            sys.exit(0)
        at += 4 + ((alen + 3) & ~3)
    print("boot-image: STUN: success without XOR-MAPPED-ADDRESS", flush=True)
    sys.exit(1)
print("boot-image: STUN: no answer after 20 tries", flush=True)
sys.exit(1)
PY
echo "boot-image: ok in $(( $(date +%s) - started )) s"
