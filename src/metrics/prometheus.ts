// Prometheus text exposition of snapshots: base units in names (_bytes, _seconds, _celsius,
// _ratio), HELP and TYPE per family, one `host` label per host on a receiver.
import type { HostInfo, Snapshot } from "../protocol/index.ts";
import { addCustomFiles, CustomExposition, escapeLabelValue } from "./custom.ts";
import { addContainers, addGuests } from "./guests.ts";
import { addHealth } from "./health.ts";

export interface MetricsEntry {
  /** Extra labels for every sample of this entry, e.g. { host: "pve-web" } on a receiver. */
  labels: Readonly<Record<string, string>>;
  info: HostInfo | null;
  snapshot: Snapshot | null;
  /** Whether the host answered; defaults to whether there is a snapshot. */
  up?: boolean;
}

type Labels = Readonly<Record<string, string>>;

interface Family {
  help: string;
  type: "gauge" | "counter";
  samples: string[];
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

class Exposition {
  private readonly families = new Map<string, Family>();

  add(
    name: string,
    type: Family["type"],
    help: string,
    labels: Labels,
    value: number | null | undefined,
  ): void {
    if (value === null || value === undefined) return;
    let family = this.families.get(name);
    if (!family) {
      family = { help, type, samples: [] };
      this.families.set(name, family);
    }
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
    const labelText = pairs.length > 0 ? `{${pairs.join(",")}}` : "";
    family.samples.push(`${name}${labelText} ${formatValue(value)}`);
  }

  render(): string {
    let out = "";
    for (const [name, family] of this.families) {
      out += `# HELP ${name} ${family.help}\n# TYPE ${name} ${family.type}\n${family.samples.join("\n")}\n`;
    }
    return out;
  }
}

const ratio = (pct: number | null | undefined) => (pct == null ? null : pct / 100);

function addEntry(
  x: Exposition,
  base: Labels,
  info: HostInfo | null,
  s: Snapshot | null,
  up: boolean,
): void {
  const g = (name: string, help: string, labels: Labels, value: number | null | undefined) =>
    x.add(name, "gauge", help, { ...base, ...labels }, value);
  const c = (name: string, help: string, labels: Labels, value: number | null | undefined) =>
    x.add(name, "counter", help, { ...base, ...labels }, value);

  if (info) {
    g(
      "hwm_info",
      "Static facts about the host; the value is always 1.",
      {
        hostname: info.hostname,
        os: info.os,
        kernel: info.kernel,
        arch: info.arch,
        cpu_model: info.cpu_model,
        version: info.hwm_version,
      },
      1,
    );
    g("hwm_cpu_cores", "Number of logical CPUs.", {}, info.cpu_cores);
    g(
      "hwm_boot_time_seconds",
      "Boot time as a Unix timestamp.",
      {},
      info.boot_time_ms == null ? null : info.boot_time_ms / 1000,
    );
  }
  g(
    "hwm_up",
    "1 when the host answered; on a receiver, 0 for a host that is not online.",
    {},
    up ? 1 : 0,
  );
  if (!s) return;
  g("hwm_uptime_seconds", "Seconds since boot.", {}, s.uptime_s);

  const cpu = s.cpu;
  if (cpu) {
    g(
      "hwm_cpu_usage_ratio",
      "Busy share of all CPUs over the last sample interval (0-1).",
      {},
      ratio(cpu.total_pct),
    );
    for (const [mode, pct] of [
      ["user", cpu.user_pct],
      ["system", cpu.system_pct],
      ["iowait", cpu.iowait_pct],
      ["steal", cpu.steal_pct],
    ] as const) {
      g(
        "hwm_cpu_mode_ratio",
        "Share of all CPUs spent in a mode over the last sample interval (0-1).",
        { mode },
        ratio(pct),
      );
    }
    cpu.cores_pct.forEach((pct, core) => {
      g(
        "hwm_cpu_core_usage_ratio",
        "Busy share of one CPU over the last sample interval (0-1).",
        { core: String(core) },
        ratio(pct),
      );
    });
    if (cpu.load) {
      g("hwm_load1", "1-minute load average.", {}, cpu.load[0]);
      g("hwm_load5", "5-minute load average.", {}, cpu.load[1]);
      g("hwm_load15", "15-minute load average.", {}, cpu.load[2]);
    }
    g(
      "hwm_cpu_frequency_hertz",
      "Mean current CPU frequency.",
      {},
      cpu.freq_mhz == null ? null : cpu.freq_mhz * 1e6,
    );
  }

  const mem = s.memory;
  if (mem) {
    g("hwm_memory_total_bytes", "Physical memory.", {}, mem.total_bytes);
    g("hwm_memory_used_bytes", "Memory in use: total minus available.", {}, mem.used_bytes);
    g(
      "hwm_memory_available_bytes",
      "Memory available for new work without swapping.",
      {},
      mem.available_bytes,
    );
    g("hwm_memory_cached_bytes", "Page cache.", {}, mem.cached_bytes);
    g("hwm_swap_total_bytes", "Swap space.", {}, mem.swap_total_bytes);
    g("hwm_swap_used_bytes", "Swap in use.", {}, mem.swap_used_bytes);
  }

  for (const d of s.disks ?? []) {
    const l = { mount: d.mount, fs: d.fs, device: d.device };
    g("hwm_filesystem_size_bytes", "Filesystem size.", l, d.total_bytes);
    g("hwm_filesystem_used_bytes", "Filesystem space in use.", l, d.used_bytes);
    g(
      "hwm_filesystem_available_bytes",
      "Filesystem space available to unprivileged users.",
      l,
      d.available_bytes,
    );
  }

  for (const d of s.disk_io ?? []) {
    const l = { device: d.device };
    c("hwm_disk_read_bytes_total", "Bytes read from the block device.", l, d.read_total_bytes);
    c("hwm_disk_written_bytes_total", "Bytes written to the block device.", l, d.write_total_bytes);
    g("hwm_disk_read_bytes_per_second", "Read rate over the last sample interval.", l, d.read_bps);
    g(
      "hwm_disk_written_bytes_per_second",
      "Write rate over the last sample interval.",
      l,
      d.write_bps,
    );
    g(
      "hwm_disk_busy_ratio",
      "Share of the last sample interval the device was busy (0-1).",
      l,
      ratio(d.busy_pct),
    );
  }

  for (const n of s.network ?? []) {
    const l = { iface: n.iface };
    c("hwm_network_receive_bytes_total", "Bytes received by the interface.", l, n.rx_total_bytes);
    c("hwm_network_transmit_bytes_total", "Bytes sent by the interface.", l, n.tx_total_bytes);
    g(
      "hwm_network_receive_bytes_per_second",
      "Receive rate over the last sample interval.",
      l,
      n.rx_bps,
    );
    g(
      "hwm_network_transmit_bytes_per_second",
      "Transmit rate over the last sample interval.",
      l,
      n.tx_bps,
    );
  }

  for (const t of s.sensors ?? []) {
    const l = { chip: t.chip, sensor: t.label };
    g("hwm_sensor_temperature_celsius", "Temperature reading.", l, t.celsius);
    g(
      "hwm_sensor_critical_celsius",
      "Temperature the chip reports as critical.",
      l,
      t.crit_celsius,
    );
  }

  (s.gpus ?? []).forEach((gpu, index) => {
    const l = { gpu: String(index), name: gpu.name, vendor: gpu.vendor };
    g("hwm_gpu_utilization_ratio", "GPU busy share (0-1).", l, ratio(gpu.util_pct));
    g("hwm_gpu_memory_used_bytes", "GPU memory in use.", l, gpu.mem_used_bytes);
    g("hwm_gpu_memory_total_bytes", "GPU memory.", l, gpu.mem_total_bytes);
    g("hwm_gpu_temperature_celsius", "GPU temperature.", l, gpu.celsius);
    g("hwm_gpu_power_watts", "GPU power draw.", l, gpu.power_watts);
  });

  if (s.processes) {
    g("hwm_processes", "Number of processes.", {}, s.processes.count);
    g(
      "hwm_processes_running",
      "Processes in state R (running or runnable).",
      {},
      s.processes.running,
    );
  }

  if (s.health) addHealth(g, s.health);
  if (s.custom) addCustomFiles(g, s.custom);
  if (s.guests) addGuests(g, s.guests);
  if (s.containers) addContainers(g, s.containers);

  for (const section of Object.keys(s.errors ?? {})) {
    g(
      "hwm_collector_failed",
      "1 when a section could not be read in this snapshot.",
      { section },
      1,
    );
  }
}

export function renderMetrics(entries: readonly MetricsEntry[]): string {
  const x = new Exposition();
  const custom = new CustomExposition();
  for (const entry of entries) {
    addEntry(x, entry.labels, entry.info, entry.snapshot, entry.up ?? entry.snapshot !== null);
    if (entry.snapshot?.custom) custom.add(entry.labels, entry.snapshot.custom);
  }
  return x.render() + custom.render();
}
