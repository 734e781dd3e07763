// Answers a history query from the file: picks the tier for the range and step, fills the
// coarse tier's open tail from the finer ones, and resamples into steps aligned to the step.
import {
  chooseStepMs,
  type HistoryAnswer,
  type HistoryQuery,
  MAX_POINTS,
  MAX_RANGE_MS,
  MAX_SERIES,
  type Point,
} from "./backend.ts";
import type { HostTable } from "./host-table.ts";
import type { Layouts } from "./layouts.ts";
import { type MetricRef, matchesMetric, metricName } from "./metrics.ts";
import { viewPoint } from "./packed.ts";
import type { PointsByHost, PointsTable, StoredPoint } from "./points-table.ts";
import { alignDown } from "./rollup.ts";
import type { Tier } from "./tiers.ts";

export interface QuerySources {
  /** Raw first, then coarser (Tiers.chain). */
  chain: readonly Tier[];
  points: PointsTable;
  layouts: Layouts;
  hosts: HostTable;
  /** "Now" for retention: the last round's time (tests and benchmarks run on their own clock). */
  nowMs: number;
}

/**
 * Among the tiers whose retention reaches back to fromMs, the coarsest whose step is at most
 * the one wanted (the finest of them if all are coarser); if none reaches back that far, the
 * one kept longest. Returns an index into the chain.
 */
export function pickTier(
  chain: readonly Tier[],
  fromMs: number,
  stepMs: number,
  nowMs: number,
): number {
  let coarseEnough = -1;
  let finestCovering = -1;
  let longest = 0;
  chain.forEach((tier, i) => {
    if (tier.retentionMs > (chain[longest]?.retentionMs ?? 0)) longest = i;
    if (nowMs - tier.retentionMs > fromMs) return;
    if (tier.stepMs <= stepMs) {
      if (coarseEnough < 0 || tier.stepMs > (chain[coarseEnough]?.stepMs ?? 0)) coarseEnough = i;
    } else if (finestCovering < 0 || tier.stepMs < (chain[finestCovering]?.stepMs ?? 0)) {
      finestCovering = i;
    }
  });
  if (coarseEnough >= 0) return coarseEnough;
  return finestCovering >= 0 ? finestCovering : longest;
}

interface Segment {
  tier: Tier;
  fromMs: number;
  toMs: number;
}

/**
 * The chosen tier up to its watermark (its last step is still open), then each finer tier up
 * to its own, then raw up to the end: one stretch of time each, no gap, no overlap.
 */
function segments(
  chain: readonly Tier[],
  chosen: number,
  fromMs: number,
  endMs: number,
): Segment[] {
  const out: Segment[] = [];
  let cursorMs = fromMs;
  for (let i = chosen; i >= 0 && cursorMs < endMs; i--) {
    const tier = chain[i];
    if (!tier) continue;
    const toMs = tier.raw
      ? endMs
      : Math.min(endMs, Math.max(cursorMs, tier.watermarkMs ?? cursorMs));
    if (toMs > cursorMs) out.push({ tier, fromMs: cursorMs, toMs });
    cursorMs = toMs;
  }
  return out;
}

/** A series being built: one entry per step in time order, or per raw point as recorded. */
class Series {
  readonly tsMs: number[] = [];
  readonly sum: number[] = [];
  readonly count: number[] = [];
  readonly max: number[] = [];

  /** Adds a point to the step starting at tsMs (the last one, or a new one after it). */
  add(tsMs: number, count: number, mean: number, max: number): void {
    const last = this.tsMs.length - 1;
    if (this.tsMs[last] === tsMs) {
      this.sum[last] = (this.sum[last] ?? 0) + mean * count;
      this.count[last] = (this.count[last] ?? 0) + count;
      this.max[last] = Math.max(this.max[last] ?? max, max);
      return;
    }
    this.tsMs.push(tsMs);
    this.sum.push(mean * count);
    this.count.push(count);
    this.max.push(max);
  }

  /** The newest MAX_POINTS steps: means weighted by their counts, or maxima. */
  points(agg: "avg" | "max"): Point[] {
    const start = Math.max(0, this.tsMs.length - MAX_POINTS);
    const out: Point[] = [];
    for (let i = start; i < this.tsMs.length; i++) {
      const value = agg === "max" ? (this.max[i] ?? 0) : (this.sum[i] ?? 0) / (this.count[i] || 1);
      out.push([this.tsMs[i] ?? 0, tidy(value)]);
    }
    return out;
  }
}

/**
 * Values are stored as Float32: 12.3 reads back as 12.300000190734863. Seven significant
 * digits are all a Float32 holds, and all a chart needs; integers (bytes) stay exact.
 */
function tidy(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(7));
}

interface Plan {
  fromMs: number;
  toMs: number;
  stepMs: number;
  /** Raw points as they were recorded, not resampled (the step is the raw interval). */
  asRecorded: boolean;
  segments: Segment[];
}

/** The range clamped, the step, the tier, and where each tier's points come in. */
function planQuery(sources: QuerySources, q: HistoryQuery): Plan {
  const { chain } = sources;
  const toMs = q.toMs;
  const fromMs = Math.min(toMs, Math.max(q.fromMs, toMs - MAX_RANGE_MS));
  const intervalMs = chain[0]?.stepMs ?? 1;
  let stepMs = chooseStepMs(fromMs, toMs, q.stepMs, intervalMs);
  const chosen = pickTier(chain, fromMs, stepMs, sources.nowMs);
  const tier = chain[chosen];
  const asRecorded = tier?.raw === true && stepMs <= intervalMs;
  if (tier && !tier.raw) {
    // A rollup's step is the finest it can answer; a multiple of it keeps its points whole.
    stepMs = Math.ceil(Math.max(stepMs, tier.stepMs) / tier.stepMs) * tier.stepMs;
  }
  const startMs = asRecorded ? fromMs : alignDown(fromMs, stepMs);
  return { fromMs, toMs, stepMs, asRecorded, segments: segments(chain, chosen, startMs, toMs + 1) };
}

export function runQuery(sources: QuerySources, q: HistoryQuery): HistoryAnswer {
  const plan = planQuery(sources, q);
  const answer: HistoryAnswer = {
    fromMs: plan.fromMs,
    toMs: plan.toMs,
    stepMs: plan.stepMs,
    hosts: new Map(),
  };
  const ids = new Map<string, number | null>();
  for (const host of q.hosts) ids.set(host, sources.hosts.findId(host));
  const known = [...ids.values()].filter((id) => id !== null);
  // Raw points are time first: one scan serves every host. Rollups are read host by host, so
  // a fleet's 24 h (100 hosts × 1440 points of ~600 bytes) is never all in memory at once.
  const rawPoints = new Map<Segment, PointsByHost>();
  for (const segment of plan.segments) {
    if (segment.tier.raw) {
      const { id } = segment.tier;
      rawPoints.set(segment, sources.points.readRaw(id, known, segment.fromMs, segment.toMs));
    }
  }
  let seriesLeft = MAX_SERIES;
  for (const [host, hostId] of ids) {
    const out = new Map<string, Point[]>();
    answer.hosts.set(host, out);
    if (hostId === null || seriesLeft <= 0) continue;
    const reads = plan.segments.map((segment) => ({
      raw: segment.tier.raw,
      points: segment.tier.raw
        ? (rawPoints.get(segment)?.get(hostId) ?? [])
        : sources.points.readRollup(segment.tier.id, hostId, segment.fromMs, segment.toMs),
    }));
    const names = seriesNames(sources.layouts, reads, q.metrics).slice(0, seriesLeft);
    const series = resample(sources.layouts, reads, names, plan);
    names.forEach((name, i) => {
      const points = series[i]?.points(q.agg) ?? [];
      if (points.length > 0) out.set(name, points);
    });
    seriesLeft -= out.size;
  }
  return answer;
}

/** One host's points, every segment in time order, into one Series per name. */
function resample(
  layouts: Layouts,
  reads: readonly { raw: boolean; points: readonly StoredPoint[] }[],
  names: readonly string[],
  plan: Plan,
): Series[] {
  const series = names.map(() => new Series());
  if (names.length === 0) return series;
  const picks = new Picks(layouts, names);
  for (const { raw, points } of reads) {
    for (const point of points) {
      const pick = picks.of(point.layout);
      if (!pick) continue;
      const view = viewPoint(point.data, pick.width, raw);
      if (!view.valid) continue;
      // As recorded, each raw point is its own step (count 1: its mean and max are the value).
      const stepMs = plan.asRecorded ? point.tsMs : alignDown(point.tsMs, plan.stepMs);
      for (let k = 0; k < pick.metric.length; k++) {
        const i = pick.metric[k] ?? 0;
        series[pick.series[k] ?? 0]?.add(stepMs, view.count(i), view.mean(i), view.max(i));
      }
    }
  }
  return series;
}

/** The full names asked for that the host has in the range: wildcards expanded, sorted. */
function seriesNames(
  layouts: Layouts,
  reads: readonly { points: readonly StoredPoint[] }[],
  refs: readonly MetricRef[],
): string[] {
  const stored = new Set<string>();
  const seen = new Set<number>();
  for (const { points } of reads) {
    for (const point of points) {
      if (seen.has(point.layout)) continue;
      seen.add(point.layout);
      for (const name of layouts.namesOf(point.layout) ?? []) stored.add(name);
    }
  }
  const out: string[] = [];
  const taken = new Set<string>();
  for (const ref of refs) {
    const found =
      ref.key === "*"
        ? [...stored].filter((name) => matchesMetric(ref, name)).sort()
        : [metricName(ref.family, ref.key)].filter((name) => stored.has(name));
    for (const name of found) {
      if (taken.has(name)) continue;
      taken.add(name);
      out.push(name);
    }
  }
  return out;
}

/** Per layout: which of its metrics feed which series. */
class Picks {
  readonly #layouts: Layouts;
  readonly #seriesOf: Map<string, number>;
  readonly #byLayout = new Map<
    number,
    { width: number; metric: number[]; series: number[] } | null
  >();

  constructor(layouts: Layouts, names: readonly string[]) {
    this.#layouts = layouts;
    this.#seriesOf = new Map(names.map((name, i) => [name, i]));
  }

  of(layout: number): { width: number; metric: number[]; series: number[] } | null {
    let pick = this.#byLayout.get(layout);
    if (pick !== undefined) return pick;
    const names = this.#layouts.namesOf(layout);
    pick = null;
    if (names) {
      const metric: number[] = [];
      const series: number[] = [];
      names.forEach((name, i) => {
        const s = this.#seriesOf.get(name);
        if (s === undefined) return;
        metric.push(i);
        series.push(s);
      });
      if (metric.length > 0) pick = { width: names.length, metric, series };
    }
    this.#byLayout.set(layout, pick);
    return pick;
  }
}
