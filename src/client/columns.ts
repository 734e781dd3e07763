// History points as charts want them: one shared time axis, one column per series, and a row of
// nothing wherever the data has a hole, so a line breaks there instead of joining across it.
import { metricKey } from "../history/metrics.ts";

/** [ts_ms, value]: the step starting at ts_ms (or the recorded point, at raw resolution). */
export type Point = readonly [number, number];

/** Series aligned on one time axis; null where a series has no value (a gap, or not yet). */
export interface Columns {
  timesMs: readonly number[];
  /** By full metric name ("network[eth0].rx_bps"); every column is as long as timesMs. */
  series: ReadonlyMap<string, readonly (number | null)[]>;
}

export const EMPTY_COLUMNS: Columns = { timesMs: [], series: new Map() };

/** A hole of more than this many steps between two points is time without data. */
export const GAP_STEPS = 1.5;

/**
 * The spacing the points really have: the step, or the usual distance between points when the
 * data is sparser than the step asked for (Prometheus scraping every 15 s, read at 1 s). Without
 * this, every hole between two sparse points would read as time without data.
 */
export function effectiveStepMs(timesMs: readonly number[], stepMs: number): number {
  if (timesMs.length < 3) return stepMs;
  const deltas: number[] = [];
  for (let i = 1; i < timesMs.length; i++) {
    deltas.push((timesMs[i] ?? 0) - (timesMs[i - 1] ?? 0));
  }
  deltas.sort((a, b) => a - b);
  const median = deltas[Math.floor(deltas.length / 2)] ?? stepMs;
  return Math.max(stepMs, median);
}

export interface Aligned {
  columns: { timesMs: number[]; series: Map<string, (number | null)[]> };
  /** The step the points are spaced at (see effectiveStepMs). */
  stepMs: number;
}

/**
 * Every series on the union of their times, oldest first, with a row of nulls after each point
 * that is followed by more than GAP_STEPS steps of nothing.
 */
export function alignSeries(
  series: Readonly<Record<string, readonly Point[]>>,
  stepMs: number,
): Aligned {
  const all = new Set<number>();
  for (const points of Object.values(series)) for (const [tsMs] of points) all.add(tsMs);
  const times = [...all].sort((a, b) => a - b);
  const step = effectiveStepMs(times, stepMs);
  const limitMs = step * GAP_STEPS;

  const timesMs: number[] = [];
  const rowOf = new Map<number, number>();
  for (let i = 0; i < times.length; i++) {
    const tsMs = times[i] ?? 0;
    const prevMs = times[i - 1];
    if (prevMs !== undefined && tsMs - prevMs > limitMs) timesMs.push(prevMs + step);
    rowOf.set(tsMs, timesMs.length);
    timesMs.push(tsMs);
  }
  const out = new Map<string, (number | null)[]>();
  for (const [name, points] of Object.entries(series)) {
    const column = new Array<number | null>(timesMs.length).fill(null);
    for (const [tsMs, value] of points) {
      const row = rowOf.get(tsMs);
      if (row !== undefined && Number.isFinite(value)) column[row] = value;
    }
    out.set(name, column);
  }
  return { columns: { timesMs, series: out }, stepMs: step };
}

/** Runs of points without a hole: what a sparkline draws as separate strokes. */
export function segments(points: readonly Point[], stepMs: number): Point[][] {
  const step = effectiveStepMs(
    points.map((p) => p[0]),
    stepMs,
  );
  const runs: Point[][] = [];
  let run: Point[] = [];
  for (const point of points) {
    const last = run[run.length - 1];
    if (last && point[0] - last[0] > step * GAP_STEPS) {
      runs.push(run);
      run = [];
    }
    if (Number.isFinite(point[1])) run.push(point);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * The keys a keyed family has in these columns: keysOf(c, "network[].rx_bps") → ["eth0", "wg0"].
 */
export function keysOf(columns: Columns, family: string): string[] {
  const [prefix, suffix] = family.split("[]") as [string, string | undefined];
  if (suffix === undefined) return [];
  const keys: string[] = [];
  for (const name of columns.series.keys()) {
    if (name.startsWith(`${prefix}[`) && name.endsWith(`]${suffix}`)) {
      const key = metricKey(name);
      if (key !== null) keys.push(key);
    }
  }
  return keys;
}

/** A family's full name for one key: withKey("network[].rx_bps", "eth0") → "network[eth0].rx_bps". */
export function withKey(family: string, key: string): string {
  return family.replace("[]", `[${key}]`);
}

/** The column of a series, or nulls when these columns have none of it. */
export function columnOf(columns: Columns, name: string): readonly (number | null)[] {
  return columns.series.get(name) ?? new Array<null>(columns.timesMs.length).fill(null);
}

/** The sum of a column's values: how busy a key was over the window, to rank keys. */
export function columnSum(column: readonly (number | null)[]): number {
  let sum = 0;
  for (const value of column) if (value != null) sum += value;
  return sum;
}
