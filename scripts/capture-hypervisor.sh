#!/usr/bin/env bash
# Copy what hwm's guests and containers sections read into a fixture tree: the cgroups of
# Proxmox guests and of Docker/Podman/Kubernetes containers, the guests' configs, the first
# process of each, and the network counters. Run as root on a Proxmox or container host:
#
#   sudo scripts/capture-hypervisor.sh TARGET_DIR [PROCFS] [SYSFS] [PVE_DIR]
#   hwm --procfs TARGET_DIR/proc --sysfs TARGET_DIR/sys --pve-dir TARGET_DIR/etc/pve
#
# Only the files hwm parses are copied. Docker's config.v2.json holds the containers'
# environment (passwords, tokens): only its "Name" and "Config.Image" are kept, which needs
# python3; without it those files are skipped. Review the result before sharing it: guest and
# container names, MAC addresses and disk names of the guest configs are in it.
set -euo pipefail

target=${1:?usage: capture-hypervisor.sh TARGET_DIR [PROCFS] [SYSFS] [PVE_DIR]}
procfs=${2:-/proc}
sysfs=${3:-/sys}
pvedir=${4:-/etc/pve}
cgroot="$sysfs/fs/cgroup"
mkdir -p "$target"
target=$(cd "$target" && pwd)
shopt -s nullglob

# Copy one file if it can be read. `cat`, not `cp`: cgroup and proc files report sizes of 0 or 4096.
copy() {
  local src=$1 dst=$2
  [[ -r $src && -f $src ]] || return 0
  mkdir -p "$(dirname "$dst")"
  if ! cat "$src" >"$dst" 2>/dev/null; then rm -f "$dst"; fi
}

pids=()
# The files of one cgroup directory (relative to a hierarchy root), v2 and v1 names alike.
copy_cgroup() {
  local root=$1 rel=$2 out=$3 f
  for f in cgroup.controllers cgroup.procs cpu.stat cpu.max memory.current memory.max memory.stat \
    io.stat pids.current cpuacct.usage cpu.cfs_quota_us cpu.cfs_period_us memory.usage_in_bytes \
    memory.limit_in_bytes blkio.throttle.io_service_bytes_recursive; do
    copy "$root/$rel/$f" "$out/$rel/$f"
  done
  mkdir -p "$out/$rel"
  local first
  first=$(head -n1 "$root/$rel/cgroup.procs" 2>/dev/null || true)
  [[ -n $first ]] && pids+=("$first")
  return 0
}

# Every cgroup hwm looks at under one hierarchy root, a few levels deep (LXC's ns/, Podman's
# container/, Kubernetes' QoS and pod slices).
capture_tree() {
  local root=$1 out=$2 dir rel
  copy "$root/cgroup.controllers" "$out/cgroup.controllers"
  for dir in "$root"/qemu.slice/*.scope "$root"/lxc/* "$root"/lxc/*/ns "$root"/lxc/*/ns/* \
    "$root"/lxc/*/* "$root"/lxc.monitor/* \
    "$root"/system.slice/docker-*.scope "$root"/system.slice/nerdctl-*.scope "$root"/docker/* \
    "$root"/machine.slice/libpod-*.scope "$root"/machine.slice/libpod-*.scope/* \
    "$root"/libpod_parent/* "$root"/kubepods.slice/*.slice "$root"/kubepods.slice/*/*.slice \
    "$root"/kubepods.slice/*/*.scope "$root"/kubepods.slice/*/*/*.scope; do
    [[ -d $dir ]] || continue
    rel=${dir#"$root"/}
    copy_cgroup "$root" "$rel" "$out"
  done
}

if [[ -f $cgroot/cgroup.controllers ]]; then
  capture_tree "$cgroot" "$target/sys/fs/cgroup"
else
  # cgroup v1: one hierarchy per controller; cpu and cpuacct are usually one, reached by links.
  for entry in "$cgroot"/*; do
    name=${entry##*/}
    if [[ -L $entry ]]; then
      mkdir -p "$target/sys/fs/cgroup"
      ln -sfn "$(readlink "$entry")" "$target/sys/fs/cgroup/$name"
    elif [[ -d $entry ]]; then
      case $name in cpu,cpuacct | cpuacct | cpu | memory | blkio | pids) ;; *) continue ;; esac
      capture_tree "$entry" "$target/sys/fs/cgroup/$name"
    fi
  done
fi

# --- /proc: uptime, the host's and each container's network counters, first processes ---
copy "$procfs/uptime" "$target/proc/uptime"
copy "$procfs/net/dev" "$target/proc/net/dev"
copy "$procfs/1/net/dev" "$target/proc/1/net/dev"
copy "$procfs/1/stat" "$target/proc/1/stat"
for pid in $(printf '%s\n' "${pids[@]}" | sort -un); do
  copy "$procfs/$pid/stat" "$target/proc/$pid/stat"
  copy "$procfs/$pid/net/dev" "$target/proc/$pid/net/dev"
done

# --- /etc/pve: this node's guest configs (qemu-server and lxc are links into nodes/<node>/) ---
for kind in qemu-server lxc; do
  for conf in "$pvedir/$kind"/*.conf; do
    copy "$conf" "$target/etc/pve/$kind/${conf##*/}"
  done
done

# --- container state files: names and images only ---
for config in /var/lib/docker/containers/*/config.v2.json; do
  id=${config%/config.v2.json}
  id=${id##*/}
  out="$target/var/lib/docker/containers/$id/config.v2.json"
  if command -v python3 >/dev/null; then
    mkdir -p "$(dirname "$out")"
    python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); json.dump({"Name": c.get("Name"), "Config": {"Image": (c.get("Config") or {}).get("Image")}}, open(sys.argv[2], "w"))' "$config" "$out"
  fi
done
copy /var/lib/containers/storage/overlay-containers/containers.json \
  "$target/var/lib/containers/storage/overlay-containers/containers.json"

echo "captured into $target: $(find "$target" -type f | wc -l) files"
