// Retention: points older than their tier keeps are deleted a small batch per round, so the
// file stays the same size in steady state and no round stalls; layouts nobody uses go too.
import type { Database } from "bun:sqlite";
import type { Layouts } from "./layouts.ts";
import type { PointsTable } from "./points-table.ts";
import type { Tier, Tiers } from "./tiers.ts";

/**
 * Points deleted per round at most. Steady state deletes what one round adds (a raw point per
 * host, a rollup point per host now and then); the margin empties a tier that was shortened or
 * removed from the config within hours.
 */
export const DELETE_POINTS_PER_ROUND = 2000;
/** A tier's expired points are deleted at most this often... */
const MIN_PASS_MS = 60_000;
/** ...and at most this many times over its retention. */
const PASSES_PER_RETENTION = 60;
/** How often layouts are checked for disuse. */
const COLLECT_LAYOUTS_EVERY_MS = 3_600_000;
/** A layout is deleted this long after the longest retention has passed over its last use. */
const LAYOUT_GRACE_MS = 86_400_000;

export class Retention {
  readonly #db: Database;
  readonly #tiers: Tiers;
  readonly #points: PointsTable;
  readonly #layouts: Layouts;
  readonly #hostIds: () => readonly number[];
  /** Per tier id: every host's points before this are deleted (in this process's life). */
  readonly #cleanBeforeMs = new Map<number, number>();
  #layoutsCollectedMs = Number.NEGATIVE_INFINITY;

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

  /** A pass was rolled back: what this process believed deleted may still be there. */
  forget(): void {
    this.#cleanBeforeMs.clear();
  }

  /** Deletes up to `budget` expired points; returns how many. Throws what SQLite throws. */
  run(nowMs: number, budget = DELETE_POINTS_PER_ROUND): number {
    const hosts = this.#hostIds();
    const deleted = this.#db
      .transaction(() => {
        let left = budget;
        const chain = this.#tiers.chain;
        for (let i = 0; i < chain.length && left > 0; i++) {
          const tier = chain[i];
          if (tier) left -= this.#expire(tier, this.#cutoffMs(i, nowMs), hosts, left);
        }
        for (const tier of [...this.#tiers.stale]) {
          if (left <= 0) break;
          const gone = this.#expire(tier, Number.POSITIVE_INFINITY, hosts, left);
          if (gone === 0) this.#tiers.drop(tier);
          left -= gone;
        }
        if (nowMs - this.#layoutsCollectedMs >= COLLECT_LAYOUTS_EVERY_MS) {
          const longestMs = Math.max(...chain.map((t) => t.retentionMs));
          this.#layouts.collect(nowMs - longestMs - LAYOUT_GRACE_MS);
          this.#layoutsCollectedMs = nowMs;
        }
        return budget - left;
      })
      .immediate();
    return deleted;
  }

  /**
   * Points of tier i before this go. Never a point the next tier has not rolled up yet: after a
   * long downtime the raw points wait for the rollups to catch up instead of being lost.
   */
  #cutoffMs(i: number, nowMs: number): number {
    const chain = this.#tiers.chain;
    const cutoffMs = nowMs - (chain[i]?.retentionMs ?? 0);
    const next = chain[i + 1];
    if (!next) return cutoffMs;
    return Math.min(cutoffMs, next.watermarkMs ?? Number.NEGATIVE_INFINITY);
  }

  /** Deletes a tier's points before cutoffMs, up to `budget`; returns how many. */
  #expire(tier: Tier, cutoffMs: number, hosts: readonly number[], budget: number): number {
    const cleanMs = this.#cleanBeforeMs.get(tier.id) ?? Number.NEGATIVE_INFINITY;
    if (cutoffMs <= cleanMs) return 0;
    // A rollup tier's pass rewrites the first pages of every host's points (~450 pages for
    // 200 hosts): wait until a step, a minute and a sixtieth of the retention have expired
    // since the last (1 min points: every 24 min; 1 h points: every 36 h). Points go at most
    // that long after they expire: under 2 % more file.
    const passMs = Math.max(tier.stepMs, MIN_PASS_MS, tier.retentionMs / PASSES_PER_RETENTION);
    if (cutoffMs - cleanMs < passMs) return 0;
    let deleted = 0;
    if (tier.raw) {
      // Raw points are time first: the expired ones of every host are one range.
      deleted = this.#points.deleteRawOlder(tier.id, cutoffMs, budget);
      if (deleted >= budget) return deleted;
    }
    for (const host of tier.raw ? [] : hosts) {
      deleted += this.#points.deleteRollupsOlder(tier.id, host, cutoffMs, budget - deleted);
      if (deleted >= budget) return deleted;
    }
    this.#cleanBeforeMs.set(tier.id, cutoffMs);
    return deleted;
  }
}

/**
 * Free pages kept for reuse (4 MB): steady state frees a few hundred at a time (a rollup tier's
 * retention pass) and new points fill them again within minutes; the bench measured under 100
 * free pages after two hours of rounds. Only beyond this, after a tier was shortened or many
 * hosts left, are pages given back.
 */
const FREE_PAGES_KEPT = 1024;
/** Pages given back per round: each moved page rewrites its parent too, so a little at a time. */
const RECLAIM_PAGES_PER_ROUND = 256;

/**
 * Gives free pages beyond FREE_PAGES_KEPT back to the file system, a few per round, so the file
 * shrinks to what it holds instead of keeping its peak size. Needs auto_vacuum = INCREMENTAL,
 * set when the file is created.
 */
export function reclaimFreePages(db: Database): void {
  const free = db.query<{ freelist_count: number }, []>("PRAGMA freelist_count").get();
  if ((free?.freelist_count ?? 0) <= FREE_PAGES_KEPT) return;
  db.run(`PRAGMA incremental_vacuum(${RECLAIM_PAGES_PER_ROUND})`);
}
