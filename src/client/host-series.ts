// One host's chart data over a time window: what the receiver recorded, aligned into columns with
// gaps, then continued by the live frames — with neither a gap nor a duplicate where they meet.
import { type MetricRef, matchesMetric, parseMetric, snapshotMetrics } from "../history/metrics.ts";
import type { HistoryResponse, HostStatus, Snapshot } from "../protocol/index.ts";
import { alignSeries, type Columns, GAP_STEPS } from "./columns.ts";

/**
 * "raw": every live frame is a point of its own (the Live range). "step": frames fold into the
 * steps the history was read at, their mean (or maximum), so a 24 h chart gains one point per
 * step and its newest point moves with every frame.
 */
export type Resolution = "raw" | "step";

export interface HostSeriesOptions {
  resolution: Resolution;
  /** How often live frames arrive. */
  liveIntervalMs: number;
  /** Keep this much time behind the newest point (a range slides); null: a fixed window (zoom). */
  spanMs: number | null;
}

/** A live frame missing for this many intervals reads as a hole. */
export const LIVE_GAP_INTERVALS = 2.5;

/** One live frame reduced to the metrics a chart shows. */
export interface LiveSample {
  tsMs: number;
  values: ReadonlyMap<string, number>;
}

/** The values of a snapshot the references name, by the names the history routes use. */
export function liveSample(snapshot: Snapshot, refs: readonly MetricRef[]): LiveSample {
  const values = new Map<string, number>();
  for (const [name, value] of snapshotMetrics(snapshot)) {
    if (refs.some((ref) => matchesMetric(ref, name))) values.set(name, value);
  }
  return { tsMs: snapshot.ts_ms, values };
}

/** Metric names parsed once; a name the catalog does not know is a programming error. */
export function metricRefs(names: readonly string[]): MetricRef[] {
  return names.map((name) => {
    const ref = parseMetric(name);
    if ("error" in ref) throw new Error(ref.error);
    return ref;
  });
}

/** The host is away: the line breaks (stale still draws, it only missed a poll). */
export function isAway(status: HostStatus): boolean {
  return status !== "online" && status !== "stale";
}

interface OpenStep {
  startMs: number;
  row: number;
  sums: Map<string, number>;
  counts: Map<string, number>;
}

export class HostSeries implements Columns {
  readonly timesMs: number[] = [];
  readonly series = new Map<string, (number | null)[]>();
  /** Bumped on every change, so a view knows when to copy again. */
  version = 0;
  /** The step the history's points are spaced at; live steps follow it. */
  readonly stepMs: number;
  readonly agg: "avg" | "max";
  /** The newest time this window knows of: the query's end, then each live frame. */
  endMs: number;
  private readonly fromMs: number;
  /** The time of the newest row with values (not a gap). */
  private lastDataMs: number | null = null;
  private lastIsGap = false;
  /** Live frames up to here are covered by the history already (its last step). */
  private coveredUntilMs: number;
  /** Where live steps line up: the start of the last history step. */
  private anchorMs: number | null = null;
  private open: OpenStep | null = null;

  constructor(
    private readonly options: HostSeriesOptions,
    window: { fromMs: number; toMs: number; stepMs: number; agg?: "avg" | "max" },
  ) {
    this.fromMs = window.fromMs;
    this.endMs = window.toMs;
    this.stepMs = Math.max(1, window.stepMs);
    this.agg = window.agg ?? "avg";
    this.coveredUntilMs = Number.NEGATIVE_INFINITY;
  }

  /** A window that starts from what the receiver recorded. */
  static fromHistory(response: HistoryResponse, options: HostSeriesOptions): HostSeries {
    const aligned = alignSeries(response.series, response.step_ms);
    const out = new HostSeries(options, {
      fromMs: response.from_ms,
      toMs: response.to_ms,
      stepMs: aligned.stepMs,
      agg: response.agg,
    });
    out.timesMs.push(...aligned.columns.timesMs);
    for (const [name, column] of aligned.columns.series) out.series.set(name, column);
    const last = out.timesMs[out.timesMs.length - 1];
    if (last !== undefined) {
      out.lastDataMs = last;
      out.anchorMs = last;
      // At raw resolution the last point is a frame; a step covers the frames inside it.
      out.coveredUntilMs = options.resolution === "raw" ? last : last + out.stepMs - 1;
    }
    out.trim();
    return out;
  }

  get length(): number {
    return this.timesMs.length;
  }

  /** The time the chart spans: a sliding range ends at the newest frame; a zoom stays put. */
  window(): { fromMs: number; toMs: number } {
    const spanMs = this.options.spanMs;
    if (spanMs === null) return { fromMs: this.fromMs, toMs: this.endMs };
    return { fromMs: this.endMs - spanMs, toMs: this.endMs };
  }

  /** The time of the first row with a value, or null when there is none. */
  firstDataMs(): number | null {
    for (let row = 0; row < this.timesMs.length; row++) {
      for (const column of this.series.values()) {
        if (column[row] != null) return this.timesMs[row] ?? null;
      }
    }
    return null;
  }

  /**
   * A live frame. Returns false when it adds nothing: older than what is here, or inside the
   * history's last step (which already holds it).
   */
  append(sample: LiveSample): boolean {
    const { tsMs } = sample;
    if (tsMs <= this.coveredUntilMs) return false;
    const changed =
      this.options.resolution === "raw" ? this.appendRaw(sample) : this.appendStep(sample);
    if (!changed) return false;
    this.endMs = Math.max(this.endMs, tsMs);
    this.trim();
    this.version++;
    return true;
  }

  /** The host went away at tsMs: break the line there, once. */
  appendGap(tsMs: number): void {
    if (this.lastIsGap || this.lastDataMs === null || tsMs <= this.lastDataMs) return;
    this.pushRow(tsMs, null);
    this.open = null;
    this.version++;
  }

  private gapLimitMs(): number {
    return Math.max(this.stepMs * GAP_STEPS, this.options.liveIntervalMs * LIVE_GAP_INTERVALS);
  }

  private appendRaw({ tsMs, values }: LiveSample): boolean {
    const last = this.lastDataMs;
    if (last !== null && tsMs <= last) return false;
    if (last !== null && !this.lastIsGap && tsMs - last > this.gapLimitMs()) {
      this.pushRow(last + this.options.liveIntervalMs, null);
    }
    this.pushRow(tsMs, values);
    return true;
  }

  private appendStep({ tsMs, values }: LiveSample): boolean {
    const step = this.stepMs;
    const anchor = this.anchorMs ?? 0;
    const startMs = anchor + Math.floor((tsMs - anchor) / step) * step;
    const open = this.open;
    if (open && startMs === open.startMs) {
      this.fold(open, values);
      return true;
    }
    const last = this.lastDataMs;
    if (last !== null && startMs <= last) return false;
    if (last !== null && !this.lastIsGap && startMs - last > step * GAP_STEPS) {
      this.pushRow(last + step, null);
    }
    const row = this.pushRow(startMs, values);
    this.open = { startMs, row, sums: new Map(values), counts: new Map() };
    for (const name of values.keys()) this.open.counts.set(name, 1);
    return true;
  }

  private fold(open: OpenStep, values: ReadonlyMap<string, number>): void {
    for (const [name, value] of values) {
      const column = this.column(name);
      const count = (open.counts.get(name) ?? 0) + 1;
      const sum = (open.sums.get(name) ?? 0) + value;
      open.counts.set(name, count);
      open.sums.set(name, sum);
      const current = column[open.row];
      column[open.row] = this.agg === "max" ? Math.max(current ?? value, value) : sum / count;
    }
  }

  /** A row at tsMs; values null: a gap. Returns its index. */
  private pushRow(tsMs: number, values: ReadonlyMap<string, number> | null): number {
    const row = this.timesMs.length;
    this.timesMs.push(tsMs);
    for (const column of this.series.values()) column.push(null);
    if (values) {
      for (const [name, value] of values) this.column(name)[row] = value;
      this.lastDataMs = tsMs;
    }
    this.lastIsGap = values === null;
    return row;
  }

  private column(name: string): (number | null)[] {
    let column = this.series.get(name);
    if (!column) {
      column = new Array<number | null>(this.timesMs.length).fill(null);
      this.series.set(name, column);
    }
    return column;
  }

  /** A sliding window drops what fell off its start (and a gap left leading). */
  private trim(): void {
    const spanMs = this.options.spanMs;
    if (spanMs === null) return;
    const cutoffMs = this.endMs - spanMs;
    let drop = 0;
    while (drop < this.timesMs.length && (this.timesMs[drop] ?? 0) < cutoffMs) drop++;
    while (drop < this.timesMs.length && this.isGapRow(drop)) drop++;
    if (drop === 0) return;
    this.timesMs.splice(0, drop);
    for (const column of this.series.values()) column.splice(0, drop);
    if (this.open) this.open.row -= drop;
    if (this.open && this.open.row < 0) this.open = null;
  }

  private isGapRow(row: number): boolean {
    for (const column of this.series.values()) if (column[row] != null) return false;
    return true;
  }
}
