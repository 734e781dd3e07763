// Rollups: each tier's steps are computed from the tier below once complete (the first from raw
// points, each further one from the tier before), a bounded amount of work per round, and the
// watermark moves in the same transaction as the points it covers.
import type { Database } from "bun:sqlite";
import type { Layouts } from "./layouts.ts";
import { StepAggregate, viewPoint } from "./packed.ts";
import type { PointsTable, StoredPoint } from "./points-table.ts";
import type { Tier, Tiers } from "./tiers.ts";

/**
 * Source points read per round at most, over every tier. Steady state needs less (200 hosts: the
 * top of the hour reads 30 raw points, 10 one-minute and 6 ten-minute points per host, 9 200 in
 * all); after a long downtime or a new tier, the tiers catch up over several rounds instead of
 * stalling the receiver's thread (about 5 µs per point of 70 metrics).
 */
export const ROLLUP_POINTS_PER_ROUND = 10_000;
/**
 * A tier waits until this much (or one step, if longer) is due: writing a host's points rewrites
 * its last page, so five 1-min steps at once cost a fifth of five rounds of one. Queries fill
 * the wait from the finer tiers.
 */
export const ROLLUP_BATCH_MS = 5 * 60_000;

/** A tier's complete steps: [startMs, endMs). */
interface Due {
  startMs: number;
  endMs: number;
}

export class Rollups {
  readonly #db: Database;
  readonly #tiers: Tiers;
  readonly #points: PointsTable;
  readonly #layouts: Layouts;
  readonly #hostIds: () => readonly number[];

  constructor(
    db: Database,
    tiers: Tiers,
    points: PointsTable,
    layouts: Layouts,
    hostIds: () => readonly number[],
  ) {
    this.#db = db;
    this.#tiers = tiers;
    this.#points = points;
    this.#layouts = layouts;
    this.#hostIds = hostIds;
  }

  /**
   * Rolls up what became due by nowMs, up to `budget` source points; returns the points read.
   * Throws what SQLite throws (the caller logs it); the watermarks stay where the file has them.
   */
  run(nowMs: number, budget = ROLLUP_POINTS_PER_ROUND): number {
    const chain = this.#tiers.chain;
    const hosts = this.#hostIds();
    let read = 0;
    for (let i = 1; i < chain.length && read < budget; i++) {
      const tier = chain[i];
      const source = chain[i - 1];
      if (!tier || !source) continue;
      const due = this.#due(tier, source, hosts, nowMs);
      if (!due) continue;
      const perStep = Math.max(1, Math.ceil(tier.stepMs / source.stepMs));
      const steps = Math.max(
        1,
        Math.floor((budget - read) / (perStep * Math.max(1, hosts.length))),
      );
      const endMs = Math.min(due.endMs, due.startMs + steps * tier.stepMs);
      read += this.#db
        .transaction(() => this.#rollUp(tier, source, hosts, { ...due, endMs }, due.endMs, nowMs))
        .immediate();
    }
    return read;
  }

  /** The steps of a tier that are complete in its source and not yet rolled up. */
  #due(tier: Tier, source: Tier, hosts: readonly number[], nowMs: number): Due | null {
    // Raw is complete up to now (this round's points are written before rollups run); a
    // rollup tier up to its own watermark.
    const completeMs = source.raw ? nowMs : source.watermarkMs;
    if (completeMs === null) return null;
    const endMs = alignDown(completeMs, tier.stepMs);
    let startMs = tier.watermarkMs;
    if (startMs === null) {
      const first = this.#firstSourcePoint(source, hosts, 0);
      if (first === null) return null;
      startMs = alignDown(first, tier.stepMs);
    }
    return endMs - startMs >= Math.max(tier.stepMs, ROLLUP_BATCH_MS) ? { startMs, endMs } : null;
  }

  #firstSourcePoint(source: Tier, hosts: readonly number[], fromMs: number): number | null {
    if (source.raw) return this.#points.first(true, source.id, 0, fromMs);
    let first: number | null = null;
    for (const host of hosts) {
      const ts = this.#points.first(false, source.id, host, fromMs);
      if (ts !== null && (first === null || ts < first)) first = ts;
    }
    return first;
  }

  #layoutOf(points: readonly StoredPoint[], names: readonly string[], nowMs: number): number {
    const first = points[0]?.layout;
    if (first !== undefined && points.every((point) => point.layout === first)) {
      if (sameNames(names, this.#layouts.namesOf(first))) {
        this.#layouts.touch(first, nowMs);
        return first;
      }
    }
    return this.#layouts.idOf(names, nowMs);
  }

  /** Writes the steps in [startMs, endMs) for every host; returns the source points read. */
  #rollUp(
    tier: Tier,
    source: Tier,
    hosts: readonly number[],
    { startMs, endMs }: Due,
    dueEndMs: number,
    nowMs: number,
  ): number {
    let read = 0;
    const sourcePoints = this.#points.read(source.raw, source.id, hosts, startMs, endMs);
    for (const [host, points] of sourcePoints) {
      read += points.length;
      for (const step of byStep(points, tier.stepMs)) {
        const aggregate = new StepAggregate();
        for (const point of step.points) {
          const names = this.#layouts.namesOf(point.layout);
          if (!names) continue;
          const view = viewPoint(point.data, names.length, source.raw);
          if (view.valid) aggregate.add(names, view);
        }
        if (aggregate.empty) continue;
        const { names, data } = aggregate.encode();
        if (names.length === 0) continue;
        const layout = this.#layoutOf(step.points, names, nowMs);
        this.#points.write(false, tier.id, host, step.startMs, layout, data);
      }
    }
    let watermarkMs = endMs;
    if (read === 0 && endMs < dueEndMs) {
      // An empty stretch (the receiver was down): jump to the next step with data.
      const next = this.#firstSourcePoint(source, hosts, endMs);
      watermarkMs = next === null ? dueEndMs : Math.min(dueEndMs, alignDown(next, tier.stepMs));
    }
    this.#tiers.setWatermark(tier, watermarkMs);
    return read;
  }
}

/** Unless metrics came or went within the step, a rollup point keeps its source's layout. */
function sameNames(a: readonly string[], b: readonly string[] | null): boolean {
  return b !== null && a.length === b.length && a.every((name, i) => name === b[i]);
}

export function alignDown(ms: number, stepMs: number): number {
  return Math.floor(ms / stepMs) * stepMs;
}

/** Groups points (oldest first) by the step they start in. */
function* byStep(
  points: readonly StoredPoint[],
  stepMs: number,
): Generator<{ startMs: number; points: StoredPoint[] }> {
  let startMs = Number.NaN;
  let group: StoredPoint[] = [];
  for (const point of points) {
    const pointStepMs = alignDown(point.tsMs, stepMs);
    if (pointStepMs !== startMs) {
      if (group.length > 0) yield { startMs, points: group };
      startMs = pointStepMs;
      group = [];
    }
    group.push(point);
  }
  if (group.length > 0) yield { startMs, points: group };
}
