// The points table's statements: write a point, read a time range, find the first point, delete
// the oldest. Raw points are keyed time first, rollup points host first (see sqlite-schema.ts);
// keys are built in SQL, where 63-bit integers are exact.
import type { Database, Statement } from "bun:sqlite";
import { HOST_BITS, MAX_HOST_ID, MAX_TS_MS, TIER_SHIFT, TS_BITS } from "./sqlite-schema.ts";

export interface StoredPoint {
  tsMs: number;
  layout: number;
  data: Uint8Array;
}

/** Points by host id, each host's oldest first. */
export type PointsByHost = Map<number, StoredPoint[]>;

const TS_MASK = String(MAX_TS_MS);
const HOST_MASK = String(MAX_HOST_ID);
/** Host-major key: tier, host, time. */
const rollupKey = (tier: string, host: string, ts: string) =>
  `(${tier} << ${TIER_SHIFT}) + (${host} << ${TS_BITS}) + ${ts}`;
/** Time-major key: tier, time, host. */
const rawKey = (tier: string, ts: string, host: string) =>
  `(${tier} << ${TIER_SHIFT}) + (${ts} << ${HOST_BITS}) + ${host}`;

const clampMs = (ms: number) => Math.min(Math.max(0, ms), MAX_TS_MS + 1);

export class PointsTable {
  readonly #writeRollup: Statement<unknown, [number, number, number, number, Uint8Array]>;
  readonly #writeRaw: Statement<unknown, [number, number, number, number, Uint8Array]>;
  readonly #readRollup: Statement<unknown, [number, number, number, number]>;
  readonly #readRaw: Statement<unknown, [number, number, number, string]>;
  readonly #firstRollup: Statement<{ ts: number }, [number, number, number]>;
  readonly #firstRaw: Statement<{ ts: number }, [number, number]>;
  readonly #deleteRollup: Statement<unknown, [number, number, number, number]>;
  readonly #deleteRaw: Statement<unknown, [number, number, number]>;

  constructor(db: Database) {
    this.#writeRollup = db.prepare(
      `INSERT OR REPLACE INTO points (key, layout, data) VALUES (${rollupKey("?1", "?2", "?3")}, ?4, ?5)`,
    );
    this.#writeRaw = db.prepare(
      `INSERT OR REPLACE INTO points (key, layout, data) VALUES (${rawKey("?1", "?3", "?2")}, ?4, ?5)`,
    );
    this.#readRollup = db.prepare(
      `SELECT key & ${TS_MASK}, layout, data FROM points
       WHERE key >= ${rollupKey("?1", "?2", "?3")} AND key < ${rollupKey("?1", "?2", "?4")}`,
    );
    const rawRange = `key >= ${rawKey("?1", "?2", "0")} AND key < ${rawKey("?1", "?3", "0")}`;
    // The hosts as a JSON list: SQLite makes it a lookup once, so only their rows reach us.
    this.#readRaw = db.prepare(
      `SELECT key & ${HOST_MASK}, (key >> ${HOST_BITS}) & ${TS_MASK}, layout, data FROM points
       WHERE ${rawRange} AND (key & ${HOST_MASK}) IN (SELECT value FROM json_each(?4))`,
    );
    this.#firstRollup = db.prepare(
      `SELECT key & ${TS_MASK} AS ts FROM points
       WHERE key >= ${rollupKey("?1", "?2", "?3")} AND key < ${rollupKey("?1", "(?2 + 1)", "0")}
       ORDER BY key LIMIT 1`,
    );
    this.#firstRaw = db.prepare(
      `SELECT (key >> ${HOST_BITS}) & ${TS_MASK} AS ts FROM points
       WHERE key >= ${rawKey("?1", "?2", "0")} AND key < ((?1 + 1) << ${TIER_SHIFT})
       ORDER BY key LIMIT 1`,
    );
    this.#deleteRollup = db.prepare(
      `DELETE FROM points WHERE key IN (SELECT key FROM points
         WHERE key >= ${rollupKey("?1", "?2", "0")} AND key < ${rollupKey("?1", "?2", "?3")} LIMIT ?4)`,
    );
    this.#deleteRaw = db.prepare(
      `DELETE FROM points WHERE key IN (SELECT key FROM points
         WHERE key >= (?1 << ${TIER_SHIFT}) AND key < ${rawKey("?1", "?2", "0")} LIMIT ?3)`,
    );
  }

  write(
    raw: boolean,
    tier: number,
    host: number,
    tsMs: number,
    layout: number,
    data: Uint8Array,
  ): void {
    (raw ? this.#writeRaw : this.#writeRollup).run(tier, host, tsMs, layout, data);
  }

  /**
   * Points of some hosts with fromMs <= ts < toMs, by host, each oldest first: one scan for raw
   * (time first), one range per host for rollups (host first).
   */
  read(
    raw: boolean,
    tier: number,
    hosts: readonly number[],
    fromMs: number,
    toMs: number,
  ): PointsByHost {
    if (raw) return this.readRaw(tier, hosts, fromMs, toMs);
    const byHost: PointsByHost = new Map();
    for (const host of hosts) {
      const points = this.readRollup(tier, host, fromMs, toMs);
      if (points.length > 0) byHost.set(host, points);
    }
    return byHost;
  }

  /** A rollup tier's points of one host with fromMs <= ts < toMs, oldest first. */
  readRollup(tier: number, host: number, fromMs: number, toMs: number): StoredPoint[] {
    const points: StoredPoint[] = [];
    if (toMs <= fromMs) return points;
    for (const [tsMs, layout, data] of this.#readRollup.values(
      tier,
      host,
      clampMs(fromMs),
      clampMs(toMs),
    )) {
      // The file is ours, but a damaged row must cost a gap, not a crash.
      if (typeof tsMs === "number" && typeof layout === "number" && data instanceof Uint8Array) {
        points.push({ tsMs, layout, data });
      }
    }
    return points;
  }

  /** Raw points of some hosts with fromMs <= ts < toMs, by host. */
  readRaw(tier: number, hosts: readonly number[], fromMs: number, toMs: number): PointsByHost {
    const byHost: PointsByHost = new Map();
    if (toMs <= fromMs || hosts.length === 0) return byHost;
    const rows = this.#readRaw.values(tier, clampMs(fromMs), clampMs(toMs), JSON.stringify(hosts));
    for (const [host, tsMs, layout, data] of rows) {
      if (typeof host !== "number" || typeof tsMs !== "number" || typeof layout !== "number")
        continue;
      if (!(data instanceof Uint8Array)) continue;
      const points = byHost.get(host);
      if (points) points.push({ tsMs, layout, data });
      else byHost.set(host, [{ tsMs, layout, data }]);
    }
    return byHost;
  }

  /** The time of the first point at or after fromMs: of one host (rollups), of any (raw). */
  first(raw: boolean, tier: number, host: number, fromMs: number): number | null {
    return raw
      ? (this.#firstRaw.get(tier, clampMs(fromMs))?.ts ?? null)
      : (this.#firstRollup.get(tier, host, clampMs(fromMs))?.ts ?? null);
  }

  /** Deletes up to `limit` rollup points of one host older than beforeMs; returns how many. */
  deleteRollupsOlder(tier: number, host: number, beforeMs: number, limit: number): number {
    if (beforeMs <= 0 || limit <= 0) return 0;
    return this.#deleteRollup.run(tier, host, clampMs(beforeMs), limit).changes;
  }

  /** Deletes up to `limit` raw points of every host older than beforeMs; returns how many. */
  deleteRawOlder(tier: number, beforeMs: number, limit: number): number {
    if (beforeMs <= 0 || limit <= 0) return 0;
    return this.#deleteRaw.run(tier, clampMs(beforeMs), limit).changes;
  }
}
