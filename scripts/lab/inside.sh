#!/usr/bin/env bash
# Runs inside the lab VM (scripts/lab/run.sh) at boot: builds a Proxmox-like host out of real
# parts (a QEMU VM in qemu.slice/<vmid>.scope, an LXC container with Proxmox's cgroup keys, Docker
# and Podman containers, a degraded ZFS mirror and md arrays, a failed unit), then captures what
# hwm reads and what a real hwm sender answers into /lab/out.
set -uo pipefail
out=/lab/out
rm -rf "$out"
mkdir -p "$out/health"
exec >"$out/inside.log" 2>&1
set -x
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# --- the VM's own link (QEMU user networking): how the host reaches hwm here ---
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0

# --- the bridge every guest hangs off, as on Proxmox ---
ip link add vmbr0 type bridge
ip addr add 10.10.0.1/24 dev vmbr0
ip link set vmbr0 up

# --- /etc/pve: qemu-server and lxc are links into nodes/<node>/, as pmxcfs has them ---
mkdir -p /etc/pve/nodes/lab/qemu-server /etc/pve/nodes/lab/lxc
ln -sfn nodes/lab/qemu-server /etc/pve/qemu-server
ln -sfn nodes/lab/lxc /etc/pve/lxc
cat >/etc/pve/qemu-server/100.conf <<'EOF'
boot: order=scsi0;net0
cores: 1
cpu: x86-64-v2-AES
memory: 256
meta: creation-qemu=8.1.5,ctime=1733212800
name: web
net0: virtio=BC:24:11:5A:00:64,bridge=vmbr0,firewall=0
numa: 0
ostype: l26
scsi0: local-lvm:vm-100-disk-0,iothread=1,size=4G
scsihw: virtio-scsi-single
smbios1: uuid=6a1c2f9e-1c1d-4a43-9f5e-1f4b8a2f0c64
sockets: 1
vmgenid: 0e1bd8c5-1f0a-4a5e-8b0c-2a5d6c7e8f90
EOF
cat >/etc/pve/qemu-server/101.conf <<'EOF'
cores: 2
memory: 2048
name: backup-vm
net0: virtio=BC:24:11:5A:00:65,bridge=vmbr0
ostype: l26
scsi0: local-lvm:vm-101-disk-0,size=32G
EOF
cat >/etc/pve/lxc/200.conf <<'EOF'
arch: amd64
cores: 1
features: nesting=1
hostname: dns
memory: 128
net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:5A:00:C8,ip=10.10.0.200/24,type=veth
ostype: debian
rootfs: local-lvm:vm-200-disk-0,size=2G
swap: 128
EOF
cat >/etc/pve/lxc/201.conf <<'EOF'
arch: amd64
cores: 2
hostname: media
memory: 1024
net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:5A:00:C9,ip=dhcp,type=veth
ostype: alpine
rootfs: local-lvm:vm-201-disk-0,size=8G
EOF

# --- VM 100: a real QEMU process in qemu.slice/100.scope, started the way Proxmox starts it ---
ip tuntap add dev tap100i0 mode tap
ip link set tap100i0 master vmbr0 up
systemd-run --scope --slice=qemu.slice --unit=100 --description="hwm lab VM 100" \
  qemu-system-x86_64 -accel tcg -m 256 -smp 1 -display none -daemonize -nodefaults \
  -pidfile /run/qemu-100.pid \
  -netdev tap,id=net0,ifname=tap100i0,script=no,downscript=no \
  -device virtio-net-pci,netdev=net0,mac=BC:24:11:5A:00:64 \
  -kernel "$(ls /boot/vmlinuz-* | head -1)" -initrd "$(ls /boot/initrd.img-* | head -1)" -append "console=ttyS0 ip=dhcp panic=-1"

# --- CT 200: LXC with the cgroup keys Proxmox writes (lxc/<ctid>/ns, lxc.monitor/<ctid>) ---
ctroot=/var/lib/lxc/200
mkdir -p "$ctroot/rootfs"/{bin,proc,sys,dev,tmp,etc}
cp /bin/busybox "$ctroot/rootfs/bin/"
chroot "$ctroot/rootfs" /bin/busybox --install -s /bin
printf '#!/bin/sh\nwhile :; do sleep 1; done\n' >"$ctroot/rootfs/sbin-init"
mkdir -p "$ctroot/rootfs/sbin" "$ctroot/rootfs/run" && mv "$ctroot/rootfs/sbin-init" "$ctroot/rootfs/sbin/init"
chmod +x "$ctroot/rootfs/sbin/init"
cat >"$ctroot/config" <<'EOF'
lxc.rootfs.path = dir:/var/lib/lxc/200/rootfs
lxc.uts.name = dns
lxc.init.cmd = /sbin/init
lxc.mount.auto = proc:mixed sys:mixed cgroup:mixed
lxc.net.0.type = veth
lxc.net.0.link = vmbr0
lxc.net.0.veth.pair = veth200i0
lxc.net.0.name = eth0
lxc.net.0.flags = up
lxc.net.0.hwaddr = BC:24:11:5A:00:C8
lxc.net.0.ipv4.address = 10.10.0.200/24
lxc.cgroup.relative = 0
lxc.cgroup.dir.monitor = lxc.monitor/200
lxc.cgroup.dir.container = lxc/200
lxc.cgroup.dir.container.inner = ns
lxc.cgroup2.memory.max = 134217728
lxc.cgroup2.memory.swap.max = 134217728
lxc.cgroup2.cpu.max = 100000 100000
EOF
lxc-start -n 200 -l INFO -o "$out/lxc-200.log"
sleep 2
lxc-info -n 200
# Work inside the CT: one core spinning, 48 MiB held in tmpfs, pings across the bridge.
lxc-attach -n 200 -- /bin/sh -c 'while :; do :; done' &
lxc-attach -n 200 -- /bin/sh -c 'mkdir -p /run/m && mount -t tmpfs none /run/m && dd if=/dev/zero of=/run/m/fill bs=1M count=48 && sleep 100000' &
lxc-attach -n 200 -- /bin/ping -q -i 0.2 10.10.0.1 &

# --- Docker: an image from this busybox, three running containers and a stopped one ---
systemctl start docker
mkdir -p /tmp/bb/bin /tmp/bb/tmp
cp /bin/busybox /tmp/bb/bin/
chroot /tmp/bb /bin/busybox --install -s /bin
tar -C /tmp/bb -c . | docker import - lab/busybox:1.35
docker run -d --name web --memory 256m --cpus 0.5 lab/busybox:1.35 sh -c 'while :; do :; done'
docker run -d --name db lab/busybox:1.35 sh -c 'dd if=/dev/zero of=/data bs=1M count=64 && sync && sleep 100000'
docker run -d --name host-agent --network host lab/busybox:1.35 sleep 100000
docker create --name old-job lab/busybox:1.35 true
# Podman as root, with systemd as its cgroup manager: machine.slice/libpod-<id>.scope
tar -C /tmp/bb -c . | podman import - localhost/lab/busybox:1.35
podman run -d --name cache localhost/lab/busybox:1.35 sh -c 'while :; do sleep 0.01; done'
podman run -d --name proxy --memory 64m localhost/lab/busybox:1.35 sleep 100000
podman ps -a --no-trunc >"$out/podman-ps.txt"
docker ps -a --no-trunc >"$out/docker-ps.txt"
docker info >"$out/docker-info.txt" 2>&1

# --- health: a failed unit ---
cat >/etc/systemd/system/nightly-backup.service <<'EOF'
[Unit]
Description=Nightly backup (fails on purpose in the lab)
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "backup target unreachable" >&2; exit 3'
EOF
systemctl daemon-reload
systemctl start nightly-backup.service
systemctl list-units --failed --output=json >"$out/health/systemctl-failed.json"
systemctl list-units --failed >"$out/health/systemctl-failed.txt"

# --- health: md arrays on loop devices: a RAID1 with a failed member, a RAID5 rebuilding ---
modprobe raid1; modprobe raid456
for i in 0 1 2 3 4 5; do truncate -s 96M /var/tmp/md$i.img; losetup /dev/loop$i /var/tmp/md$i.img; done
mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 /dev/loop0 /dev/loop1
mdadm --create /dev/md1 --run --level=5 --raid-devices=3 --metadata=1.2 /dev/loop2 /dev/loop3 /dev/loop4
mdadm --wait /dev/md0 /dev/md1
cat /proc/mdstat >"$out/health/mdstat-healthy"
mdadm /dev/md0 --fail /dev/loop1
echo 2000 >/proc/sys/dev/raid/speed_limit_max
mdadm /dev/md1 --fail /dev/loop4 --remove /dev/loop4 --add /dev/loop5
sleep 1
cat /proc/mdstat >"$out/health/mdstat-degraded"
mdadm --detail /dev/md0 /dev/md1 >"$out/health/mdadm-detail.txt"

# --- health: ZFS, a mirror that lost a disk and resilvers onto a new one, and a healthy pool ---
modprobe zfs
for i in 0 1 2 3; do truncate -s 256M /var/tmp/zfs$i.img; done
zpool create -f -o ashift=12 tank mirror /var/tmp/zfs0.img /var/tmp/zfs1.img
zpool create -f backup /var/tmp/zfs3.img
dd if=/dev/urandom of=/tank/data bs=1M count=96 && sync
zpool status -P >"$out/health/zpool-healthy.txt"
# zfs1 dies: its labels and data overwritten, the pool notices on scrub.
dd if=/dev/zero of=/var/tmp/zfs1.img bs=1M count=256 conv=notrunc
zpool scrub -w tank
zpool status -P >"$out/health/zpool-degraded.txt"
zpool offline tank /var/tmp/zfs1.img
zpool status -P >"$out/health/zpool-offline.txt"
zpool list >"$out/health/zpool-list.txt"

# --- health: smartctl on the VM's emulated SATA and NVMe disks (one NVMe flagged failing by the host) ---
smartctl --scan --json=c >"$out/health/smartctl-scan.json"
smartctl --scan >"$out/health/smartctl-scan.txt"
for dev in /dev/sda /dev/nvme0 /dev/nvme1; do
  name=${dev#/dev/}
  smartctl --json=c --all -n standby "$dev" >"$out/health/smartctl-$name.json"
  echo "exit $?" >"$out/health/smartctl-$name.exit"
done
# Forced to the type --scan gives a SATA disk behind libata (scsi), as hwm did before it left -d out.
smartctl --json=c --all -n standby -d scsi /dev/sda >"$out/health/smartctl-sda-d-scsi.json"
smartctl --scan-open --json=c >"$out/health/smartctl-scan-open.json"

# --- hwm itself, as a sender on this host: five whole snapshots, three busy, two with the load off ---
sleep 5
HWM_TOKEN=lab-token-0123456789abcdef0123456789abcdef /lab/hwm --role sender \
  --listen 0.0.0.0:9101 --pve-dir /etc/pve >"$out/hwm-sender.log" 2>&1 &
for _ in $(seq 60); do curl -sf http://127.0.0.1:9101/healthz >/dev/null && break; sleep 1; done
snapshot() {
  curl -s -H "Authorization: Bearer lab-token-0123456789abcdef0123456789abcdef" \
    "http://127.0.0.1:9101/api/v1/snapshot" >"$out/snapshot-$1.json"
}
# How long Docker takes to answer hwm's one question, with both vCPUs busy.
api_times() {
  for _ in 1 2 3; do
    curl -s -o /dev/null -w "$1 %{time_total}\n" --unix-socket /var/run/docker.sock \
      http://localhost/containers/json
  done >>"$out/docker-api-times.txt"
}
for n in 1 2 3; do
  snapshot $n
  sleep 8
done
api_times busy
# The load off: the CT and the busy containers frozen (docker pause shows in Docker's API).
lxc-freeze -n 200
docker pause web
podman pause cache
sleep 35
api_times quiet
for n in 4 5; do
  snapshot $n
  sleep 4
done

# --- the capture script users run on their hosts ---
docker stop old-job 2>/dev/null
podman ps -a --format '{{.ID}} {{.Names}}' >>"$out/podman-ps.txt"
/lab/capture-hypervisor.sh "$out/tree"
curl -s --unix-socket /var/run/docker.sock http://localhost/containers/json >"$out/docker-containers.json"
find /sys/fs/cgroup -maxdepth 3 -type d | sort >"$out/cgroup-dirs.txt"
cat /proc/self/cgroup /proc/mounts >"$out/mounts.txt"
uname -a >"$out/uname.txt"
systemctl --version >>"$out/uname.txt"
lxc-start --version >>"$out/uname.txt"
docker version >>"$out/uname.txt" 2>&1
podman --version >>"$out/uname.txt"
zfs version >>"$out/uname.txt"
smartctl --version | head -1 >>"$out/uname.txt"
qemu-system-x86_64 --version | head -1 >>"$out/uname.txt"
# --- hwm as `hwm service install` sets it up (its own user, in a sandbox), then with the
# drop-ins docs/GUESTS.md and docs/HEALTH.md give for names and S.M.A.R.T. ---
# As pmxcfs shows them: root:www-data, the configs 0640.
chgrp -R www-data /etc/pve/nodes
find /etc/pve/nodes -type f -exec chmod 0640 {} +
mkdir -p /etc/hwm
/lab/hwm token >/etc/hwm/token
chmod 600 /etc/hwm/token
/lab/hwm service install --role sender --listen 127.0.0.1:7070 --token-file /etc/hwm/token \
  >"$out/service-install.txt" 2>&1
service_snapshot() {
  for _ in $(seq 30); do curl -sf http://127.0.0.1:7070/healthz >/dev/null && break; sleep 1; done
  curl -s -H "Authorization: Bearer $(cat /etc/hwm/token)" \
    "http://127.0.0.1:7070/api/v1/snapshot?sections=guests,containers,health" >/dev/null
  sleep 20 # the first health reading runs in the background
  curl -s -H "Authorization: Bearer $(cat /etc/hwm/token)" \
    "http://127.0.0.1:7070/api/v1/snapshot?sections=guests,containers,health" >"$out/service-$1.json"
}
service_snapshot closed
systemd-analyze security hwm.service 2>&1 | tail -1 >"$out/service-security.txt"
mkdir -p /etc/systemd/system/hwm.service.d
printf '%s\n' '[Service]' 'SupplementaryGroups=disk www-data docker' 'DeviceAllow=block-sd r' \
  'DeviceAllow=block-blkext r' 'CapabilityBoundingSet=CAP_SYS_RAWIO CAP_SYS_ADMIN' \
  'AmbientCapabilities=CAP_SYS_RAWIO CAP_SYS_ADMIN' >/etc/systemd/system/hwm.service.d/lab.conf
systemctl daemon-reload
systemctl restart hwm.service
service_snapshot opened
systemd-analyze security hwm.service 2>&1 | tail -1 >>"$out/service-security.txt"
journalctl -u hwm.service --no-pager >"$out/service-journal.txt"
systemctl stop hwm.service

# --- what the unit's user may do, one property at a time (systemd-run, the same user kind) ---
probe() {
  local name=$1
  shift
  echo "== $name: $*" >>"$out/service-probes.txt"
  timeout 60 systemd-run --quiet --wait --pipe --collect -p DynamicUser=yes "$@" \
    >>"$out/service-probes.txt" 2>&1
  echo "exit $?" >>"$out/service-probes.txt"
}
probe units-dynamic systemctl list-units --failed --output=json
probe units-nobody -p DynamicUser=no -p User=nobody systemctl list-units --failed --output=json
probe units-sandboxed -p ProtectSystem=strict -p PrivateTmp=yes -p PrivateMounts=yes \
  -p RestrictAddressFamilies="AF_INET AF_INET6 AF_UNIX" -p SystemCallFilter=@system-service \
  -p SystemCallErrorNumber=EPERM systemctl list-units --failed --output=json
probe units-no-privileged -p SystemCallFilter="~@privileged @resources" -p SystemCallErrorNumber=EPERM \
  systemctl list-units --failed --output=json
probe nvme-controller -p SupplementaryGroups=disk -p DevicePolicy=closed -p "DeviceAllow=char-nvme r" \
  -p AmbientCapabilities="CAP_SYS_RAWIO CAP_SYS_ADMIN" smartctl --json=c -a -d nvme /dev/nvme1
probe nvme-namespace -p SupplementaryGroups=disk -p DevicePolicy=closed -p "DeviceAllow=block-blkext r" \
  -p AmbientCapabilities="CAP_SYS_RAWIO CAP_SYS_ADMIN" smartctl --json=c -a -d nvme /dev/nvme1n1
probe nvme-namespace-rawio -p SupplementaryGroups=disk -p DevicePolicy=closed -p "DeviceAllow=block-blkext r" \
  -p AmbientCapabilities=CAP_SYS_RAWIO smartctl --json=c -a -d nvme /dev/nvme1n1
ls -l /dev/nvme0 /dev/nvme0n1 /dev/sda >>"$out/service-probes.txt"
journalctl -b -u dbus --no-pager >"$out/dbus-journal.txt"

# Thawed again: frozen cgroups would hold up the power-off for systemd's 90 s stop timeout.
lxc-unfreeze -n 200
docker unpause web
podman unpause cache
# Held for a receiver, the dashboard or the TUI on the host (LAB_HOLD_S in scripts/lab/run.sh).
if [[ -f /lab/hold-seconds ]]; then
  touch "$out/READY"
  sleep "$(cat /lab/hold-seconds)"
fi
# PID 1 of a container ignores SIGTERM (busybox sleep): stopped at once, not after 90 s.
podman rm -f -t 0 -a >/dev/null
docker rm -f $(docker ps -aq) >/dev/null
lxc-stop -k -n 200
echo done >"$out/DONE"
