// The embedded history store: one SQLite file (bun:sqlite) holding every host's metrics at raw
// resolution and in coarser rollup tiers, its last state and its status changes. The receiver
// writes one round per poll; the history routes read it through HistoryReader.
import type { Database } from "bun:sqlite";
import { statSync } from "node:fs";
import type { Logger } from "../log.ts";
import {
  type HistoryAnswer,
  HistoryError,
  type HistoryQuery,
  type HistoryReader,
} from "./backend.ts";
import { HostTable } from "./host-table.ts";
import { Layouts } from "./layouts.ts";
import { encodeRaw } from "./packed.ts";
import { MAX_PENDING_ROUNDS, PendingRounds } from "./pending-rounds.ts";
import { PointsTable } from "./points-table.ts";
import type { HostRow, SampleRow, SqliteOptions, StatusChange } from "./records.ts";
import { Retention, reclaimFreePages } from "./retention.ts";
import { Rollups } from "./rollup.ts";
import { describeFailure, type FailureKind } from "./sqlite-errors.ts";
import { openDatabase } from "./sqlite-open.ts";
import { runQuery } from "./sqlite-query.ts";
import { MAX_HOST_ID, MAX_TS_MS } from "./sqlite-schema.ts";
import { Tiers } from "./tiers.ts";

export type { HostRow, SampleRow, SqliteOptions, StatusChange } from "./records.ts";

/** What the last round cost, for debug logs and the benchmark. */
export interface RoundStats {
  /** The round's transaction (and any rounds kept from before). */
  writeMs: number;
  rollupMs: number;
  retentionMs: number;
  /** Source points the rollups read. */
  rolledUp: number;
  /** Expired points deleted. */
  deleted: number;
}

/** A round slower than this is logged (at debug): the receiver's thread waited for it. */
const SLOW_ROUND_MS = 200;

type Activity = "write" | "maintenance";

export class SqliteHistory implements HistoryReader {
  readonly backend = "sqlite";
  /** The underlying handle, so the alert engine can keep its own tables in the same file. */
  readonly db: Database;
  readonly #path: string;
  readonly #log: Logger;
  readonly #tiers: Tiers;
  readonly #points: PointsTable;
  readonly #layouts: Layouts;
  readonly #hosts: HostTable;
  readonly #rollups: Rollups;
  readonly #retention: Retention;
  readonly #pending = new PendingRounds();
  /** Per host id, the layout of its last raw point: most rounds repeat it. */
  readonly #lastLayout = new Map<number, { names: readonly string[]; id: number }>();
  /** Per activity, the kind of failure already logged: logged once, not every round. */
  readonly #failing: Record<Activity, { kind: FailureKind; rounds: number } | null> = {
    write: null,
    maintenance: null,
  };
  #nowMs: number | null = null;
  #closed = false;
  #hostsFull = false;
  #roundStats: RoundStats = { writeMs: 0, rollupMs: 0, retentionMs: 0, rolledUp: 0, deleted: 0 };

  private constructor(db: Database, path: string, options: SqliteOptions) {
    this.db = db;
    this.#path = path;
    this.#log = options.log;
    // The config checks steps against each other, not the first against the interval: a
    // rollup no coarser than the raw points would only copy them.
    const rollups = options.rollups.filter((rollup) => rollup.stepMs > options.intervalMs);
    for (const rollup of options.rollups) {
      if (rollup.stepMs > options.intervalMs) continue;
      this.#log.warn("history rollup left out: its step is not coarser than the interval", {
        step_ms: rollup.stepMs,
        interval_ms: options.intervalMs,
      });
    }
    this.#tiers = Tiers.load(db, { ...options, rollups });
    this.#points = new PointsTable(db);
    this.#layouts = new Layouts(db);
    this.#hosts = new HostTable(db);
    const hostIds = db.prepare<{ id: number }, []>(
      `SELECT id FROM hosts WHERE id <= ${MAX_HOST_ID} ORDER BY id`,
    );
    const ids = () => hostIds.all().map((row) => row.id);
    this.#rollups = new Rollups(db, this.#tiers, this.#points, this.#layouts, ids);
    this.#retention = new Retention(db, this.#tiers, this.#points, this.#layouts, ids);
  }

  /**
   * Opens or creates the file (and its directory, mode 0700). Throws HistoryError with a message
   * for users: damaged, not a database, from a newer hwm, permission denied, read-only, locked,
   * directory not creatable.
   */
  static open(path: string, options: SqliteOptions): SqliteHistory {
    const db = openDatabase(path);
    try {
      return new SqliteHistory(db, path, options);
    } catch (error) {
      db.close();
      if (error instanceof HistoryError) throw error;
      throw new HistoryError(describeFailure(error, path).message);
    }
  }

  /**
   * One poll round, in one transaction: the samples, every host's state (hosts not in `hosts`
   * untouched), the status changes. Then, each in its own transaction, the rollups that became
   * due and a batch of deletions past retention. Never throws: a failure is logged once per
   * kind, the round kept in memory (the last MAX_PENDING_ROUNDS) and written with the next
   * round that succeeds. Samples' times should not be after nowMs: a step is rolled up once
   * nowMs has passed its end.
   */
  writeRound(
    samples: readonly SampleRow[],
    hosts: readonly HostRow[],
    changes: readonly StatusChange[],
    nowMs: number,
  ): void {
    if (this.#closed) return;
    this.#nowMs = Math.max(this.#nowMs ?? nowMs, nowMs);
    this.#pending.add(samples, hosts, changes);
    const stats: RoundStats = { writeMs: 0, rollupMs: 0, retentionMs: 0, rolledUp: 0, deleted: 0 };
    this.#roundStats = stats;
    let startMs = performance.now();
    if (!this.#writePending(nowMs)) return;
    stats.writeMs = performance.now() - startMs;
    try {
      startMs = performance.now();
      stats.rolledUp = this.#rollups.run(nowMs);
      stats.rollupMs = performance.now() - startMs;
      startMs = performance.now();
      stats.deleted = this.#retention.run(nowMs);
      reclaimFreePages(this.db);
      stats.retentionMs = performance.now() - startMs;
      this.#succeeded("maintenance");
    } catch (error) {
      this.#rolledBack();
      this.#failed("maintenance", error);
    }
    const totalMs = stats.writeMs + stats.rollupMs + stats.retentionMs;
    if (totalMs > SLOW_ROUND_MS) {
      this.#log.debug("history round was slow", {
        write_ms: Math.round(stats.writeMs),
        rollup_ms: Math.round(stats.rollupMs),
        retention_ms: Math.round(stats.retentionMs),
        rolled_up: stats.rolledUp,
        deleted: stats.deleted,
      });
    }
  }

  /** Writes every round kept (this one last); false when it failed (they stay kept). */
  #writePending(nowMs: number): boolean {
    const pending = this.#pending;
    try {
      this.db
        .transaction(() => {
          for (const sample of pending.samples()) this.#writeSample(sample, nowMs);
          for (const host of pending.hosts()) this.#hosts.writeState(host);
          this.#hosts.addChanges(pending.changes());
        })
        .immediate();
    } catch (error) {
      this.#rolledBack();
      this.#failed("write", error);
      return false;
    }
    this.#hosts.committed();
    this.#succeeded("write", { rounds_written: pending.rounds, rounds_lost: pending.dropped });
    pending.clear();
    return true;
  }

  #writeSample(sample: SampleRow, nowMs: number): void {
    const n = sample.values.size;
    const tsMs = Math.round(sample.tsMs);
    if (n === 0 || !(tsMs >= 0 && tsMs <= MAX_TS_MS)) return;
    const hostId = this.#hosts.idOf(sample.host);
    if (hostId === null) {
      if (!this.#hostsFull) {
        this.#log.error("history file holds the most hosts it can; new hosts are not recorded", {
          path: this.#path,
          max_hosts: MAX_HOST_ID,
        });
      }
      this.#hostsFull = true;
      return;
    }
    const layout = this.#layoutOf(hostId, sample.values, nowMs);
    const raw = this.#tiers.chain[0];
    if (!raw) return;
    this.#points.write(true, raw.id, hostId, tsMs, layout, encodeRaw(sample.values.values(), n));
  }

  #layoutOf(hostId: number, values: ReadonlyMap<string, number>, nowMs: number): number {
    const last = this.#lastLayout.get(hostId);
    if (last && last.names.length === values.size) {
      let i = 0;
      let same = true;
      for (const name of values.keys()) {
        if (last.names[i++] !== name) {
          same = false;
          break;
        }
      }
      if (same) {
        this.#layouts.touch(last.id, nowMs);
        return last.id;
      }
    }
    const names = [...values.keys()];
    const id = this.#layouts.idOf(names, nowMs);
    this.#lastLayout.set(hostId, { names, id });
    return id;
  }

  /** After a rollback, what is cached may name rows that were never written. */
  #rolledBack(): void {
    this.#hosts.forget();
    this.#layouts.forget();
    this.#lastLayout.clear();
    this.#retention.forget();
    try {
      this.#tiers.reload(this.db);
    } catch {
      // the file cannot even be read: the next round tries again
    }
  }

  #failed(activity: Activity, error: unknown): void {
    const failure = describeFailure(error, this.#path);
    const state = this.#failing[activity];
    if (state?.kind === failure.kind) {
      state.rounds++;
      return;
    }
    this.#failing[activity] = { kind: failure.kind, rounds: 1 };
    this.#log.error(failure.message, {
      code: failure.code,
      meanwhile:
        activity === "write"
          ? `the last ${MAX_PENDING_ROUNDS} rounds are kept in memory and written once it works again`
          : "rollups and deletions past retention wait until it works again",
    });
  }

  #succeeded(activity: Activity, fields: Record<string, number> = {}): void {
    const state = this.#failing[activity];
    if (!state) return;
    this.#failing[activity] = null;
    this.#log.info(
      activity === "write" ? "history is written again" : "history rollups and retention run again",
      { path: this.#path, failed_rounds: state.rounds, ...fields },
    );
  }

  /** What the last round cost (zeros when it could not be written). */
  get roundStats(): Readonly<RoundStats> {
    return this.#roundStats;
  }

  /** Every host as last written, for a receiver that starts again. */
  loadHosts(): HostRow[] {
    return this.#reading(() => this.#hosts.load());
  }

  /** A host's recent status changes, newest first (at most 1000 are kept per host). */
  statusChanges(host: string, limit: number): StatusChange[] {
    return this.#reading(() => this.#hosts.changes(host, limit));
  }

  async query(q: HistoryQuery): Promise<HistoryAnswer> {
    return this.#reading(() =>
      runQuery(
        {
          chain: this.#tiers.chain,
          points: this.#points,
          layouts: this.#layouts,
          hosts: this.#hosts,
          nowMs: this.#nowMs ?? Date.now(),
        },
        q,
      ),
    );
  }

  /** Reads, with SQLite's errors turned into HistoryError for users. */
  #reading<T>(read: () => T): T {
    if (this.#closed) throw new HistoryError("history is closed");
    try {
      return read();
    } catch (error) {
      if (error instanceof HistoryError) throw error;
      throw new HistoryError(describeFailure(error, this.#path).message);
    }
  }

  /** File size in bytes (database and WAL). */
  sizeBytes(): number {
    let bytes = 0;
    for (const file of [this.#path, `${this.#path}-wal`]) {
      try {
        bytes += statSync(file).size;
      } catch {
        // no WAL at the moment
      }
    }
    return bytes;
  }

  /** Writes what is still kept in memory (one try), then closes the file. */
  close(): void {
    if (this.#closed) return;
    if (this.#pending.rounds > 0) this.#writePending(this.#nowMs ?? Date.now());
    this.#closed = true;
    try {
      this.db.run("PRAGMA optimize");
    } catch {
      // only a hint for the query planner
    }
    this.db.close();
  }
}
