#!/usr/bin/env bash
# Copy the /proc and /sys files hwm's Linux collectors read into a small fixture tree for tests.
#
#   scripts/capture-fixtures.sh tests/fixtures/linux/<machine-name> [PROCFS] [SYSFS]
#
# Symlinks are dereferenced (/sys/class/* entries are links into /sys/devices), and only the
# attributes we parse are copied, so the tree stays a few hundred KB. Review the result before
# committing it: mountinfo and hostname describe the machine.
set -euo pipefail

target=${1:?usage: capture-fixtures.sh TARGET_DIR [PROCFS] [SYSFS]}
procfs=${2:-/proc}
sysfs=${3:-/sys}
max_pids=${MAX_PIDS:-8}

# Copy one file if it can be read. `cat`, not `cp`: proc and sysfs files report sizes of 0 or 4096.
copy() {
  local src=$1 dst=$2
  [[ -r $src && -f $src ]] || return 0
  mkdir -p "$(dirname "$dst")"
  if ! cat "$src" >"$dst" 2>/dev/null; then rm -f "$dst"; fi
}

mkdir -p "$target"
target=$(cd "$target" && pwd)

# --- /proc ---
for f in stat meminfo loadavg uptime diskstats cpuinfo net/dev mounts sys/kernel/hostname sys/kernel/osrelease; do
  copy "$procfs/$f" "$target/proc/$f"
done
copy "$procfs/1/mountinfo" "$target/proc/1/mountinfo"

# A few processes: pid 1, kernel threads (no VmRSS), this shell. Only stat and status: command
# lines and environments are never read by hwm and never captured.
pids=(1 2 $$)
for dir in "$procfs"/[0-9]*; do
  ((${#pids[@]} >= max_pids)) && break
  pids+=("${dir##*/}")
done
for pid in $(printf '%s\n' "${pids[@]}" | sort -un); do
  copy "$procfs/$pid/stat" "$target/proc/$pid/stat"
  copy "$procfs/$pid/status" "$target/proc/$pid/status"
done

# --- /sys ---
shopt -s nullglob

# hwmon chips: the name and every temperature attribute, from the chip or (old kernels) its device.
for chip in "$sysfs"/class/hwmon/hwmon*; do
  out="$target/sys/class/hwmon/${chip##*/}"
  for f in "$chip"/name "$chip"/temp*_input "$chip"/temp*_label "$chip"/temp*_max "$chip"/temp*_crit; do
    copy "$f" "$out/${f##*/}"
  done
  for f in "$chip"/device/name "$chip"/device/temp*_input "$chip"/device/temp*_label \
    "$chip"/device/temp*_max "$chip"/device/temp*_crit; do
    copy "$f" "$out/device/${f##*/}"
  done
done

for zone in "$sysfs"/class/thermal/thermal_zone*; do
  copy "$zone/type" "$target/sys/class/thermal/${zone##*/}/type"
  copy "$zone/temp" "$target/sys/class/thermal/${zone##*/}/temp"
done

# Whole disks and partitions: what tells them apart, and device-mapper names.
for dev in "$sysfs"/block/*; do
  name=${dev##*/}
  copy "$dev/size" "$target/sys/block/$name/size"
  copy "$dev/dm/name" "$target/sys/block/$name/dm/name"
done
for dev in "$sysfs"/class/block/*; do
  name=${dev##*/}
  copy "$dev/dev" "$target/sys/class/block/$name/dev"
  copy "$dev/partition" "$target/sys/class/block/$name/partition"
done

for iface in "$sysfs"/class/net/*; do
  for f in operstate type speed; do
    copy "$iface/$f" "$target/sys/class/net/${iface##*/}/$f"
  done
done

for cpu in "$sysfs"/devices/system/cpu/cpu[0-9]*; do
  copy "$cpu/cpufreq/scaling_cur_freq" "$target/sys/devices/system/cpu/${cpu##*/}/cpufreq/scaling_cur_freq"
done

for card in "$sysfs"/class/drm/card[0-9]; do
  out="$target/sys/class/drm/${card##*/}/device"
  for f in vendor product_name gpu_busy_percent mem_info_vram_used mem_info_vram_total; do
    copy "$card/device/$f" "$out/$f"
  done
  for hw in "$card"/device/hwmon/hwmon*; do
    for f in temp1_input power1_average power1_input; do
      copy "$hw/$f" "$out/hwmon/${hw##*/}/$f"
    done
  done
done

# The host's OS name, beside proc/ as the collectors look for it with a custom procfs.
copy /etc/os-release "$target/etc/os-release"

echo "captured into $target ($(du -sh "$target" | cut -f1))"
