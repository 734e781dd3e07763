#!/usr/bin/env bash
# The lab host (docs/LAB.md): a Debian 12 VM, Proxmox VE 8's base, that runs a QEMU VM the way
# Proxmox starts one, an LXC container with Proxmox's cgroup keys, Docker and Podman containers,
# a degraded ZFS mirror and md arrays, a failed unit, and emulated SATA and NVMe disks (one NVMe
# flagged failing). Inside, scripts/lab/inside.sh sets it up, captures it with
# scripts/capture-hypervisor.sh and asks a real hwm sender for snapshots.
#
#   sudo scripts/lab/run.sh [WORK_DIR] [HWM_BINARY]     # results in WORK_DIR/share/out
#
# The VM's hwm sender is reachable from the host at 127.0.0.1:$LAB_PORT (default 19101, token
# lab-token-0123456789abcdef0123456789abcdef); LAB_HOLD_S=600 keeps it up that long after the
# captures (share/out/READY says when), for a receiver, the dashboard or `hwm tui` on the host.
#
# Needs root, debootstrap, qemu-system-x86 and Debian's package mirror; the first run builds the
# VM's root filesystem (~3 GB, ~10 min with ZFS's DKMS build), later runs take ~6 min under TCG
# (software emulation: no KVM needed). Nothing here runs in CI.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=${1:-/var/tmp/hwm-lab}
binary=${2:-$here/../../dist/hwm-linux-x64}
root=$work/root
mkdir -p "$work/share"
cd "$work"

chroot_mounts() {
  local action=$1 d
  if [[ $action == mount ]]; then
    for d in proc sys dev dev/pts; do mount --bind "/$d" "$root/$d"; done
  else
    for d in dev/pts dev sys proc; do umount "$root/$d" 2>/dev/null || true; done
  fi
}

if [[ ! -f $root/.lab-ready ]]; then
  debootstrap --variant=minbase --components=main,contrib \
    --include=systemd,systemd-sysv,udev,dbus,linux-image-amd64,iproute2,kmod,docker.io,lxc,qemu-system-x86,smartmontools,mdadm,busybox-static,nvme-cli,procps,python3,ca-certificates,curl \
    bookworm "$root" http://deb.debian.org/debian
  chroot_mounts mount
  trap 'chroot_mounts umount' EXIT
  kver=$(ls "$root/lib/modules" | head -1)
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    "linux-headers-$kver" zfs-dkms zfsutils-linux podman libnss-systemd
  chroot_mounts umount
  trap - EXIT
  echo lab >"$root/etc/hostname"
  echo "/dev/vda / ext4 rw,relatime 0 1" >"$root/etc/fstab"
  chroot "$root" passwd -d root >/dev/null
  cat >"$root/etc/systemd/system/hwm-lab.service" <<'UNIT'
[Unit]
Description=hwm lab: build a Proxmox-like host and capture it
After=docker.service systemd-modules-load.service local-fs.target
Wants=docker.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'mkdir -p /lab && mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 lab /lab && /lab/inside.sh; sync; systemctl poweroff'
TimeoutStartSec=infinity
[Install]
WantedBy=multi-user.target
UNIT
  ln -sf /etc/systemd/system/hwm-lab.service \
    "$root/etc/systemd/system/multi-user.target.wants/hwm-lab.service"
  touch "$root/.lab-ready"
fi

cp "$here/inside.sh" "$here/../capture-hypervisor.sh" share/
cp "$binary" share/hwm
chmod +x share/inside.sh share/capture-hypervisor.sh share/hwm
rm -rf share/out share/hold-seconds
[[ ${LAB_HOLD_S:-0} -gt 0 ]] && echo "$LAB_HOLD_S" >share/hold-seconds

kver=$(ls "$root/lib/modules" | head -1)
rm -f rootfs.img qmp.sock console.log
truncate -s 10G rootfs.img
mkfs.ext4 -q -d "$root" rootfs.img
for disk in sata nvme0 nvme1; do [[ -f $disk.img ]] || truncate -s 2G "$disk.img"; done
# TCG: nested KVM hung at boot on the machine this was written on. -cpu max gives the AVX2 that
# the default Bun build needs. AppArmor is off: neither Docker's nor LXC's profiles are loaded.
qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 -m 6G -machine q35 \
  -kernel "$root/boot/vmlinuz-$kver" -initrd "$root/boot/initrd.img-$kver" \
  -append "root=/dev/vda rw console=ttyS0 systemd.unified_cgroup_hierarchy=1 net.ifnames=0 apparmor=0" \
  -drive file=rootfs.img,if=virtio,format=raw \
  -device ahci,id=ahci \
  -drive if=none,id=sata0,file=sata.img,format=raw \
  -device ide-hd,drive=sata0,bus=ahci.0,model=LAB-SATA-SSD,serial=HWMLABSATA01 \
  -drive if=none,id=nv0,file=nvme0.img,format=raw \
  -device nvme,drive=nv0,serial=HWMLABNVME01,id=nvmeok \
  -drive if=none,id=nv1,file=nvme1.img,format=raw \
  -device nvme,drive=nv1,serial=HWMLABNVME02,id=nvmefail \
  -nic user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:${LAB_PORT:-19101}-:9101 \
  -virtfs local,path="$work/share",mount_tag=lab,security_model=none,id=lab \
  -qmp unix:qmp.sock,server=on,wait=off \
  -display none -serial file:console.log -no-reboot &
qemu=$!
for _ in $(seq 50); do [[ -S qmp.sock ]] && break; sleep 0.2; done
# The second NVMe disk's critical warning: spare below threshold (bit 0), reliability degraded (bit 2).
python3 - <<'PY'
import json, socket
s = socket.socket(socket.AF_UNIX)
s.connect("qmp.sock")
f = s.makefile("rw")
def call(cmd, **args):
    f.write(json.dumps({"execute": cmd, "arguments": args}) + "\n")
    f.flush()
    while True:
        reply = json.loads(f.readline())
        if "return" in reply or "error" in reply:
            return reply
f.readline()
call("qmp_capabilities")
print(call("qom-set", path="/machine/peripheral/nvmefail", property="smart_critical_warning", value=5))
PY
wait $qemu
[[ -f share/out/DONE ]] || { echo "the lab did not finish: see $work/share/out/inside.log and $work/console.log" >&2; exit 1; }
echo "lab results in $work/share/out"
