// One host's time series for the session so far, bounded: columns of floats sharing one time
// axis; when full, neighbouring points are averaged in pairs, so older data thins out instead of
// being dropped. Plus a short ring of CPU % for the fleet cards' sparklines.
import type { Columns } from "./columns.ts";

/** Points per series kept for the detail charts (15 min at 1 Hz before the first halving). */
export const HISTORY_POINTS = 900;
/** Points in a sparkline: 5 minutes at 1 Hz. */
export const SPARK_POINTS = 300;
/** Keyed families (interfaces, devices, sensors) keep at most this many keys each. */
const MAX_KEYS = 16;

export type FixedSeries =
  | "cpu"
  | "cpu_user"
  | "cpu_system"
  | "cpu_iowait"
  | "mem_used"
  | "mem_cached"
  | "swap_used";
export type Family = "net_rx" | "net_tx" | "io_read" | "io_write" | "temp";

const FIXED: readonly FixedSeries[] = [
  "cpu",
  "cpu_user",
  "cpu_system",
  "cpu_iowait",
  "mem_used",
  "mem_cached",
  "swap_used",
];

/** The metric each series is, by the name the history routes give it. */
const FIXED_METRIC: Record<FixedSeries, string> = {
  cpu: "cpu.total_pct",
  cpu_user: "cpu.user_pct",
  cpu_system: "cpu.system_pct",
  cpu_iowait: "cpu.iowait_pct",
  mem_used: "memory.used_bytes",
  mem_cached: "memory.cached_bytes",
  swap_used: "memory.swap_used_bytes",
};
const FAMILY_METRIC: Record<Family, string> = {
  net_rx: "network[].rx_bps",
  net_tx: "network[].tx_bps",
  io_read: "disk_io[].read_bps",
  io_write: "disk_io[].write_bps",
  temp: "sensors[].celsius",
};

/** One sample: fixed values and keyed ones; NaN (or absent) where there is no value. */
export interface Sample {
  tsMs: number;
  fixed: Partial<Record<FixedSeries, number | null>>;
  keyed: Partial<Record<Family, ReadonlyArray<readonly [string, number | null]>>>;
}

export class HostHistory {
  private readonly capacity: number;
  private readonly times: Float64Array;
  private readonly fixed = new Map<FixedSeries, Float32Array>();
  private readonly keyed = new Map<Family, Map<string, Float32Array>>();
  private n = 0;
  /** Bumped on every change, so a chart knows when to copy again. */
  version = 0;
  private readonly spark = new Float32Array(SPARK_POINTS);
  private sparkStart = 0;
  private sparkCount = 0;

  constructor(capacity = HISTORY_POINTS) {
    this.capacity = capacity - (capacity % 2);
    this.times = new Float64Array(this.capacity);
    for (const name of FIXED) this.fixed.set(name, new Float32Array(this.capacity));
  }

  get length(): number {
    return this.n;
  }

  lastTsMs(): number | null {
    return this.n > 0 ? (this.times[this.n - 1] ?? null) : null;
  }

  push(sample: Sample): void {
    if (this.n === this.capacity) this.halve();
    const i = this.n;
    this.times[i] = sample.tsMs;
    for (const [name, column] of this.fixed) column[i] = sample.fixed[name] ?? Number.NaN;
    for (const columns of this.keyed.values()) {
      for (const column of columns.values()) column[i] = Number.NaN;
    }
    for (const [family, pairs] of Object.entries(sample.keyed) as [
      Family,
      Sample["keyed"][Family],
    ][]) {
      for (const [key, value] of pairs ?? []) {
        const column = this.column(family, key);
        if (column) column[i] = value ?? Number.NaN;
      }
    }
    this.n++;
    this.version++;
    this.pushSpark(sample.fixed.cpu ?? Number.NaN);
  }

  /** A gap (host gone): the charts break the line here instead of joining across it. */
  pushGap(tsMs: number): void {
    this.push({ tsMs, fixed: {}, keyed: {} });
  }

  /** The session as chart columns, named as history names them, so one chart draws both. */
  columns(): Columns {
    const timesMs = Array.from(this.times.subarray(0, this.n));
    const series = new Map<string, (number | null)[]>();
    for (const [name, column] of this.fixed) series.set(FIXED_METRIC[name], this.copy(column));
    for (const [family, columns] of this.keyed) {
      for (const [key, column] of columns) {
        series.set(FAMILY_METRIC[family].replace("[]", `[${key}]`), this.copy(column));
      }
    }
    return { timesMs, series };
  }

  /** The sparkline's points, oldest first (NaN where the host was gone). */
  sparkline(): Float32Array {
    const out = new Float32Array(this.sparkCount);
    for (let i = 0; i < this.sparkCount; i++) {
      out[i] = this.spark[(this.sparkStart + i) % SPARK_POINTS] ?? Number.NaN;
    }
    return out;
  }

  private pushSpark(value: number): void {
    const end = (this.sparkStart + this.sparkCount) % SPARK_POINTS;
    this.spark[end] = value;
    if (this.sparkCount < SPARK_POINTS) this.sparkCount++;
    else this.sparkStart = (this.sparkStart + 1) % SPARK_POINTS;
  }

  private copy(column: Float32Array): (number | null)[] {
    const out = new Array<number | null>(this.n);
    for (let i = 0; i < this.n; i++) {
      const value = column[i] ?? Number.NaN;
      out[i] = Number.isNaN(value) ? null : value;
    }
    return out;
  }

  private column(family: Family, key: string): Float32Array | null {
    let columns = this.keyed.get(family);
    if (!columns) {
      columns = new Map();
      this.keyed.set(family, columns);
    }
    let column = columns.get(key);
    if (!column) {
      if (columns.size >= MAX_KEYS) return null;
      column = new Float32Array(this.capacity).fill(Number.NaN);
      columns.set(key, column);
    }
    return column;
  }

  /** Halves the resolution: each pair of points becomes their mean (only a pair of gaps stays a gap). */
  private halve(): void {
    const half = this.n / 2;
    const columns = [...this.fixed.values()];
    for (const family of this.keyed.values()) columns.push(...family.values());
    for (let i = 0; i < half; i++) this.times[i] = this.times[2 * i + 1] ?? 0;
    for (const column of columns) {
      for (let i = 0; i < half; i++) {
        const a = column[2 * i] ?? Number.NaN;
        const b = column[2 * i + 1] ?? Number.NaN;
        column[i] = Number.isNaN(a) ? b : Number.isNaN(b) ? a : (a + b) / 2;
      }
      column.fill(Number.NaN, half);
    }
    this.n = half;
  }
}
