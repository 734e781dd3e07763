// One host's history for both dashboards: a Series per metric, named as the history routes name
// them ("cpu.total_pct", "network[eth0].rx_bps"), fed by live snapshots, gaps while the host is
// away and the node's recorded history. Read as graphs at one of two scales (the terminal), as
// chart columns on one time axis (the web's session charts), or as a CPU sparkline (both).
import { sensorKey } from "../history/metrics.ts";
import type { HistoryResponse, Snapshot } from "../protocol/index.ts";
import type { Columns } from "./columns.ts";
import { Series, type SeriesLimits } from "./series.ts";

/** Live points kept as they came, one per interval (the widest graph's columns, and then some). */
export const HISTORY_LENGTH = 300;
/** Points in a sparkline: 5 minutes at 1 Hz. */
export const SPARK_POINTS = 300;
/** Keyed families (interfaces, devices, sensors, GPUs) keep at most this many keys each. */
const MAX_KEYS = 16;
/** Older live points are folded into 10 s spans and kept for the hour (and a minute). */
const LIMITS: SeriesLimits = {
  finePoints: HISTORY_LENGTH,
  foldMs: 10_000,
  keepMs: 3_600_000 + 60_000,
};

type Value = number | null | undefined;

/** The metrics kept of a snapshot, by name; a keyed family's key goes in the brackets. */
export function trendValues(s: Snapshot): Array<readonly [string, Value]> {
  const cpu = s.cpu;
  const mem = s.memory;
  const out: Array<readonly [string, Value]> = [];
  if (cpu !== undefined) {
    out.push(
      ["cpu.total_pct", cpu?.total_pct],
      ["cpu.user_pct", cpu?.user_pct],
      ["cpu.system_pct", cpu?.system_pct],
      ["cpu.iowait_pct", cpu?.iowait_pct],
    );
  }
  if (mem !== undefined) {
    const usedPct = mem && mem.total_bytes > 0 ? (mem.used_bytes / mem.total_bytes) * 100 : null;
    out.push(
      ["memory.used_bytes", mem?.used_bytes],
      ["memory.cached_bytes", mem?.cached_bytes],
      ["memory.swap_used_bytes", mem?.swap_used_bytes],
      ["memory.used_pct", usedPct],
    );
  }
  const keyed = (family: string, key: string, value: Value): void => {
    out.push([family.replace("[]", `[${key}]`), value] as const);
  };
  for (const n of s.network ?? []) {
    keyed("network[].rx_bps", n.iface, n.rx_bps);
    keyed("network[].tx_bps", n.iface, n.tx_bps);
  }
  for (const d of s.disk_io ?? []) {
    keyed("disk_io[].read_bps", d.device, d.read_bps);
    keyed("disk_io[].write_bps", d.device, d.write_bps);
  }
  // Keyed as the history keys them ("coretemp/Package id 0"): one name in both.
  for (const t of s.sensors ?? [])
    keyed("sensors[].celsius", sensorKey(t.chip, t.label), t.celsius);
  // GPUs by their place in the list, as the history keys them.
  for (const [i, g] of (s.gpus ?? []).entries()) keyed("gpus[].util_pct", String(i), g.util_pct);
  return out;
}

/** The family of "network[eth0].rx_bps" ("network[].rx_bps"); the name itself when unkeyed. */
function familyOf(name: string): string {
  return name.replace(/\[.*\]/, "[]");
}

export type GraphScale =
  /** One column per live interval; recorded points before the live ones held for their step. */
  | { kind: "live"; intervalMs: number }
  /** The last `spanMs` (before the newest point) over the graph's width. */
  | { kind: "recorded"; spanMs: number };

/** One graph's values for a number of columns, and the time those columns span. */
export interface Trend {
  values(columns: number): readonly (number | null)[];
  spanMs(columns: number): number;
}

/** A host's graphs at one scale. */
export interface HostGraphs {
  cpu: Trend;
  rx(iface: string): Trend;
  tx(iface: string): Trend;
  /** Memory in use, % of total. */
  memory: Trend;
  /** A temperature sensor's °C. */
  sensor(chip: string, label: string): Trend;
  /** The GPU at this place in the snapshot's list: its utilisation %. */
  gpu(index: number): Trend;
}

const EMPTY = new Series(LIMITS);

export class HostTrends {
  private readonly series = new Map<string, Series>();
  private readonly keys = new Map<string, number>();
  /** The newest snapshot's own time: a repeated snapshot is not a new point. */
  private snapshotMs = 0;
  /** The host is away and its gap has begun. */
  private away = false;
  /** The node's history answered with points for this host. */
  recorded = false;
  /** Bumped on every change, so a view knows when to draw again. */
  version = 0;
  /** The live interval of the last frame: the sparkline's column. */
  private intervalMs = 1000;

  /** A snapshot measured at `atMs` (the receiver's clock); false when it was seen already. */
  record(snapshot: Snapshot, atMs: number, intervalMs: number): boolean {
    if (snapshot.ts_ms <= this.snapshotMs) return false;
    this.snapshotMs = snapshot.ts_ms;
    this.away = false;
    this.intervalMs = intervalMs;
    for (const [name, value] of trendValues(snapshot)) {
      this.seriesOf(name)?.append(atMs, value ?? null, intervalMs);
    }
    this.version++;
    return true;
  }

  /**
   * The host is away at `atMs`: every series gets a hole there, and one more per frame while it
   * stays away, so that a graph shows the gap up to now instead of its last values.
   */
  gap(atMs: number, intervalMs: number): void {
    if (!this.away && this.series.size === 0) return;
    this.away = true;
    this.intervalMs = intervalMs;
    for (const s of this.series.values()) s.append(atMs, null, intervalMs);
    this.version++;
  }

  /** Put the node's recorded history in front of what was seen live. */
  seed(answer: HistoryResponse): void {
    const named = Object.entries(answer.series).filter(([, points]) => points.length > 0);
    if (named.length === 0) return;
    this.recorded = true;
    for (const [name, points] of named) this.seriesOf(name)?.seed(points, answer.step_ms);
    this.version++;
  }

  /** The graphs at a scale; the recorded scale ends at the newest point (the receiver's clock). */
  graphs(scale: GraphScale): HostGraphs {
    let anchorMs = 0;
    for (const s of this.series.values()) anchorMs = Math.max(anchorMs, s.newestMs ?? 0);
    const trend = (name: string): Trend => {
      const s = this.series.get(name) ?? EMPTY;
      if (scale.kind === "live") {
        return {
          values: (columns) => s.perInterval(columns, scale.intervalMs),
          spanMs: (columns) => columns * scale.intervalMs,
        };
      }
      return {
        values: (columns) =>
          s.perColumn(columns, Math.ceil(scale.spanMs / Math.max(1, columns)), anchorMs),
        spanMs: () => scale.spanMs,
      };
    };
    return {
      cpu: trend("cpu.total_pct"),
      rx: (iface) => trend(`network[${iface}].rx_bps`),
      tx: (iface) => trend(`network[${iface}].tx_bps`),
      memory: trend("memory.used_pct"),
      sensor: (chip, label) => trend(`sensors[${sensorKey(chip, label)}].celsius`),
      gpu: (index) => trend(`gpus[${index}].util_pct`),
    };
  }

  /** CPU % of the last SPARK_POINTS intervals, oldest first; null where the host was away. */
  sparkline(): readonly (number | null)[] {
    return (this.series.get("cpu.total_pct") ?? EMPTY).perInterval(SPARK_POINTS, this.intervalMs);
  }

  /**
   * Every series on one time axis, for a chart: each time any series has a point, each series'
   * value there the point that covers it (null in a hole).
   */
  columns(): Columns {
    const times = new Set<number>();
    for (const s of this.series.values()) for (const p of s.all) times.add(p.tsMs);
    const timesMs = [...times].sort((a, b) => a - b);
    const series = new Map<string, (number | null)[]>();
    for (const [name, s] of this.series) {
      const points = s.all;
      const column: (number | null)[] = [];
      let i = 0;
      for (const t of timesMs) {
        while (i < points.length && (points[i]?.endMs ?? 0) <= t) i++;
        const p = points[i];
        column.push(p && p.tsMs <= t ? p.value : null);
      }
      series.set(name, column);
    }
    return { timesMs, series };
  }

  private seriesOf(name: string): Series | null {
    let s = this.series.get(name);
    if (s) return s;
    const family = familyOf(name);
    if (family !== name) {
      const count = this.keys.get(family) ?? 0;
      if (count >= MAX_KEYS) return null;
      this.keys.set(family, count + 1);
    }
    s = new Series(LIMITS);
    this.series.set(name, s);
    return s;
  }
}
