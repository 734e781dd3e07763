// The numeric metrics of a snapshot by name: the one list that the recorder stores, the history
// API and the alert rules accept, and the Prometheus backend translates. Names follow the
// snapshot's paths; a list's entries are keyed in brackets: "cpu.total_pct",
// "disks[/var].used_pct", "network[eth0].rx_bps", "sensors[coretemp/Package id 0].celsius",
// "guests[101].cpu_pct", "health.disks[/dev/sda].ok".
import { type Section, type Snapshot, WATCH_SECTIONS } from "../protocol/index.ts";

export type MetricUnit =
  | "pct"
  | "bytes"
  | "bps"
  | "celsius"
  | "mhz"
  | "watts"
  | "seconds"
  | "load"
  /** 1 yes, 0 no (a disk passes its self-assessment). */
  | "ok"
  | "count";

export interface MetricFamily {
  /** "cpu.total_pct", or with a key: "network[].rx_bps" (the key goes in the brackets). */
  name: string;
  unit: MetricUnit;
  /** What the key is, for keyed families ("mount point", "interface"). */
  key?: string;
  help: string;
}

type Value = number | null | undefined;
type Keyed = Iterable<readonly [string, Value]>;

interface FamilyDef extends MetricFamily {
  read(s: Snapshot): Value | Keyed;
}

/** df's percentage: used / (used + available), so reserved blocks count as full. */
export function diskUsedPct(used: Value, available: Value): number | null {
  if (used == null || available == null || used + available <= 0) return null;
  return (used / (used + available)) * 100;
}

const pctOf = (part: Value, whole: Value): number | null =>
  part == null || whole == null || whole <= 0 ? null : (part / whole) * 100;

/** true → 1, false → 0; null (no verdict) is no value. */
const bit = (ok: boolean | null | undefined): number | null => (ok == null ? null : ok ? 1 : 0);

/** A container's key: its name, or its short id (as `docker ps` shows it) when it has none. */
export function containerKey(c: { id: string; name: string | null }): string {
  return c.name ?? c.id.slice(0, 12);
}

/** The key a sensor is stored under: chips repeat labels ("temp1"), so the chip comes first. */
export function sensorKey(chip: string, label: string): string {
  return `${chip}/${label}`;
}

const FAMILIES: readonly FamilyDef[] = [
  { name: "uptime_s", unit: "seconds", help: "Seconds since boot.", read: (s) => s.uptime_s },
  // cpu
  {
    name: "cpu.total_pct",
    unit: "pct",
    help: "CPU busy, all cores.",
    read: (s) => s.cpu?.total_pct,
  },
  { name: "cpu.user_pct", unit: "pct", help: "CPU in user mode.", read: (s) => s.cpu?.user_pct },
  {
    name: "cpu.system_pct",
    unit: "pct",
    help: "CPU in the kernel.",
    read: (s) => s.cpu?.system_pct,
  },
  {
    name: "cpu.iowait_pct",
    unit: "pct",
    help: "CPU waiting for I/O.",
    read: (s) => s.cpu?.iowait_pct,
  },
  {
    name: "cpu.steal_pct",
    unit: "pct",
    help: "CPU taken by the hypervisor.",
    read: (s) => s.cpu?.steal_pct,
  },
  { name: "cpu.freq_mhz", unit: "mhz", help: "Mean CPU frequency.", read: (s) => s.cpu?.freq_mhz },
  {
    name: "cpu.cores_pct[]",
    unit: "pct",
    key: "core number",
    help: "CPU busy, one core.",
    read: (s) => (s.cpu?.cores_pct ?? []).map((pct, core) => [String(core), pct] as const),
  },
  {
    name: "cpu.load[]",
    unit: "load",
    key: "1m|5m|15m",
    help: "Load average.",
    read: (s) => {
      const load = s.cpu?.load;
      return load
        ? [
            ["1m", load[0]],
            ["5m", load[1]],
            ["15m", load[2]],
          ]
        : [];
    },
  },
  // memory
  {
    name: "memory.total_bytes",
    unit: "bytes",
    help: "Physical memory.",
    read: (s) => s.memory?.total_bytes,
  },
  {
    name: "memory.used_bytes",
    unit: "bytes",
    help: "Memory in use (total minus available).",
    read: (s) => s.memory?.used_bytes,
  },
  {
    name: "memory.available_bytes",
    unit: "bytes",
    help: "Memory available without swapping.",
    read: (s) => s.memory?.available_bytes,
  },
  {
    name: "memory.cached_bytes",
    unit: "bytes",
    help: "Page cache.",
    read: (s) => s.memory?.cached_bytes,
  },
  {
    name: "memory.used_pct",
    unit: "pct",
    help: "Memory in use, share of total.",
    read: (s) => pctOf(s.memory?.used_bytes, s.memory?.total_bytes),
  },
  {
    name: "memory.swap_total_bytes",
    unit: "bytes",
    help: "Swap space.",
    read: (s) => s.memory?.swap_total_bytes,
  },
  {
    name: "memory.swap_used_bytes",
    unit: "bytes",
    help: "Swap in use.",
    read: (s) => s.memory?.swap_used_bytes,
  },
  {
    name: "memory.swap_used_pct",
    unit: "pct",
    help: "Swap in use, share of swap space.",
    read: (s) => pctOf(s.memory?.swap_used_bytes, s.memory?.swap_total_bytes),
  },
  // disks
  {
    name: "disks[].used_bytes",
    unit: "bytes",
    key: "mount point",
    help: "Filesystem space in use.",
    read: (s) => (s.disks ?? []).map((d) => [d.mount, d.used_bytes] as const),
  },
  {
    name: "disks[].total_bytes",
    unit: "bytes",
    key: "mount point",
    help: "Filesystem size.",
    read: (s) => (s.disks ?? []).map((d) => [d.mount, d.total_bytes] as const),
  },
  {
    name: "disks[].used_pct",
    unit: "pct",
    key: "mount point",
    help: "Filesystem use as df shows it: used / (used + available).",
    read: (s) =>
      (s.disks ?? []).map((d) => [d.mount, diskUsedPct(d.used_bytes, d.available_bytes)] as const),
  },
  {
    name: "disks.max_used_pct",
    unit: "pct",
    help: "The fullest filesystem's use.",
    read: (s) => maxOf((s.disks ?? []).map((d) => diskUsedPct(d.used_bytes, d.available_bytes))),
  },
  // disk I/O
  {
    name: "disk_io[].read_bps",
    unit: "bps",
    key: "device",
    help: "Read rate.",
    read: (s) => (s.disk_io ?? []).map((d) => [d.device, d.read_bps] as const),
  },
  {
    name: "disk_io[].write_bps",
    unit: "bps",
    key: "device",
    help: "Write rate.",
    read: (s) => (s.disk_io ?? []).map((d) => [d.device, d.write_bps] as const),
  },
  {
    name: "disk_io[].busy_pct",
    unit: "pct",
    key: "device",
    help: "Share of time the device was busy.",
    read: (s) => (s.disk_io ?? []).map((d) => [d.device, d.busy_pct] as const),
  },
  // network
  {
    name: "network[].rx_bps",
    unit: "bps",
    key: "interface",
    help: "Receive rate.",
    read: (s) => (s.network ?? []).map((n) => [n.iface, n.rx_bps] as const),
  },
  {
    name: "network[].tx_bps",
    unit: "bps",
    key: "interface",
    help: "Transmit rate.",
    read: (s) => (s.network ?? []).map((n) => [n.iface, n.tx_bps] as const),
  },
  // sensors
  {
    name: "sensors[].celsius",
    unit: "celsius",
    key: "chip/label",
    help: "Temperature.",
    read: (s) => (s.sensors ?? []).map((t) => [sensorKey(t.chip, t.label), t.celsius] as const),
  },
  {
    name: "sensors.max_celsius",
    unit: "celsius",
    help: "The hottest sensor.",
    read: (s) => maxOf((s.sensors ?? []).map((t) => t.celsius)),
  },
  // GPUs, keyed by their index on the host
  {
    name: "gpus[].util_pct",
    unit: "pct",
    key: "GPU index",
    help: "GPU busy.",
    read: (s) => (s.gpus ?? []).map((g, i) => [String(i), g.util_pct] as const),
  },
  {
    name: "gpus[].mem_used_bytes",
    unit: "bytes",
    key: "GPU index",
    help: "GPU memory in use.",
    read: (s) => (s.gpus ?? []).map((g, i) => [String(i), g.mem_used_bytes] as const),
  },
  {
    name: "gpus[].celsius",
    unit: "celsius",
    key: "GPU index",
    help: "GPU temperature.",
    read: (s) => (s.gpus ?? []).map((g, i) => [String(i), g.celsius] as const),
  },
  {
    name: "gpus[].power_watts",
    unit: "watts",
    key: "GPU index",
    help: "GPU power draw.",
    read: (s) => (s.gpus ?? []).map((g, i) => [String(i), g.power_watts] as const),
  },
  // guests and containers (only when the snapshot has them: a receiver asks for them while a
  // rule reads them or somebody watches the host)
  {
    name: "guests[].cpu_pct",
    unit: "pct",
    key: "VMID",
    help: "A Proxmox guest's CPU, percent of one core (200 = two busy cores).",
    read: (s) => (s.guests ?? []).map((g) => [String(g.id), g.cpu_pct] as const),
  },
  {
    name: "guests[].mem_used_bytes",
    unit: "bytes",
    key: "VMID",
    help: "A Proxmox guest's memory in use.",
    read: (s) => (s.guests ?? []).map((g) => [String(g.id), g.mem_used_bytes] as const),
  },
  {
    name: "containers[].cpu_pct",
    unit: "pct",
    key: "container name",
    help: "A container's CPU, percent of one core.",
    read: (s) => (s.containers ?? []).map((c) => [containerKey(c), c.cpu_pct] as const),
  },
  {
    name: "containers[].mem_used_bytes",
    unit: "bytes",
    key: "container name",
    help: "A container's memory in use.",
    read: (s) => (s.containers ?? []).map((c) => [containerKey(c), c.mem_used_bytes] as const),
  },
  // health
  {
    name: "health.disks[].ok",
    unit: "ok",
    key: "device",
    help: "1 when the disk passes its S.M.A.R.T. self-assessment, 0 when it fails it; none without a verdict.",
    read: (s) => (s.health?.disks ?? []).map((d) => [d.device, bit(d.ok)] as const),
  },
  {
    name: "health.failed_units",
    unit: "count",
    help: "systemd units in the failed state; none when systemctl could not be asked.",
    read: (s) =>
      s.health && s.health.unavailable.units === undefined ? s.health.failed_units.length : null,
  },
];

/**
 * The sections a receiver asks a host for only when somebody needs them (processes, guests,
 * containers) that a metric reads: what a rule on it makes the receiver ask for.
 */
export function metricSections(family: MetricFamily): Section[] {
  const section = family.name.split(/[.[]/, 1)[0];
  return WATCH_SECTIONS.filter((s) => s === section);
}

function maxOf(values: readonly Value[]): number | null {
  let max: number | null = null;
  for (const v of values) if (v != null && Number.isFinite(v) && (max === null || v > max)) max = v;
  return max;
}

/** Every metric family, for documentation and for "did you mean" messages. */
export const METRIC_FAMILIES: readonly MetricFamily[] = FAMILIES.map(({ read: _, ...f }) => f);

const BY_NAME = new Map(FAMILIES.map((f) => [f.name, f]));
const KEYLESS = new Map(FAMILIES.filter((f) => f.key).map((f) => [f.name.replace("[]", ""), f]));

/** At most this many values are taken from one snapshot: a host with 5000 veths stays bounded. */
export const MAX_METRICS_PER_SAMPLE = 1024;
/** Keys longer than this are cut: a metric name stays a sane size in the database and in URLs. */
export const MAX_KEY_LENGTH = 128;

/** Every finite numeric metric of a snapshot, by full name ("network[eth0].rx_bps"). */
export function snapshotMetrics(snapshot: Snapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const family of FAMILIES) {
    const read = family.read(snapshot);
    if (read == null) continue;
    if (typeof read === "number") {
      if (Number.isFinite(read)) out.set(family.name, read);
      continue;
    }
    const [prefix, suffix] = family.name.split("[]") as [string, string];
    for (const [key, value] of read) {
      if (out.size >= MAX_METRICS_PER_SAMPLE) return out;
      if (value == null || !Number.isFinite(value)) continue;
      out.set(`${prefix}[${key.slice(0, MAX_KEY_LENGTH)}]${suffix}`, value);
    }
  }
  return out;
}

/** A metric name taken apart: its family, and the key (null: none; "*": every key). */
export interface MetricRef {
  family: MetricFamily;
  key: string | null;
}

/**
 * "network[eth0].rx_bps" → family network[].rx_bps, key "eth0"; "disks[*].used_pct" → key "*".
 * The key is what stands between the first "[" and the last "]", so it may hold brackets itself.
 */
export function parseMetric(text: string): MetricRef | { error: string } {
  const open = text.indexOf("[");
  const close = text.lastIndexOf("]");
  let familyName = text;
  let key: string | null = null;
  if (open >= 0 && close > open) {
    familyName = `${text.slice(0, open)}[]${text.slice(close + 1)}`;
    key = text.slice(open + 1, close);
  }
  // "disks.used_pct" is disks[].used_pct written without its key.
  const family = BY_NAME.get(familyName) ?? (key === null ? KEYLESS.get(text) : undefined);
  if (family && (key === null) === (family.key === undefined) && key !== "") {
    return { family: stripRead(family), key };
  }
  if (family?.key !== undefined) {
    return {
      error: `"${text}" needs a key: ${family.name.replace("[]", `[${family.key}]`)}, or [*] for every one`,
    };
  }
  if (family) return { error: `"${text}" takes no key: write ${family.name}` };
  return { error: `unknown metric "${text}"; known metrics: ${metricNamesHint()}` };
}

function stripRead({ read: _, ...family }: FamilyDef): MetricFamily {
  return family;
}

/** "cpu.total_pct, …, network[interface].rx_bps, …" for messages. */
export function metricNamesHint(): string {
  return FAMILIES.map((f) => (f.key ? f.name.replace("[]", `[${f.key}]`) : f.name)).join(", ");
}

/** The full name of a family with a key filled in. */
export function metricName(family: MetricFamily, key: string | null): string {
  return key === null ? family.name : family.name.replace("[]", `[${key}]`);
}

/** Does a stored name belong to a reference ("disks[*].used_pct" matches "disks[/].used_pct")? */
export function matchesMetric(ref: MetricRef, name: string): boolean {
  if (ref.key !== "*") return name === metricName(ref.family, ref.key);
  const [prefix, suffix] = ref.family.name.split("[]") as [string, string];
  return name.startsWith(`${prefix}[`) && name.endsWith(`]${suffix}`);
}

/** The key of a stored keyed name ("network[eth0].rx_bps" → "eth0"); null when it has none. */
export function metricKey(name: string): string | null {
  const open = name.indexOf("[");
  const close = name.lastIndexOf("]");
  return open >= 0 && close > open ? name.slice(open + 1, close) : null;
}
