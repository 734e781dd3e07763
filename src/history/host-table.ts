// Hosts in the history file: their small integer ids, their last state (so a receiver that
// starts again knows "last seen 3 h ago" and each host's facts), and their status changes.
import type { Database, Statement } from "bun:sqlite";
import {
  decode,
  HOST_STATUSES,
  type HostInfo,
  HostInfoSchema,
  type HostStatus,
  SnapshotSchema,
} from "../protocol/index.ts";
import type { HostRow, StatusChange } from "./records.ts";
import { MAX_HOST_ID } from "./sqlite-schema.ts";

/** Status changes kept per host; older ones are deleted as new ones come. */
export const MAX_CHANGES_PER_HOST = 1000;

interface StoredHost {
  name: string;
  status: string | null;
  info: string | null;
  snapshot: string | null;
  last_seen_ms: number | null;
  last_error: string | null;
}

/** What was last written of a host: its state fields, and its snapshot's time. */
interface Written {
  state: string;
  snapshot: string | undefined;
}

const isStatus = (value: unknown): value is HostStatus =>
  (HOST_STATUSES as readonly unknown[]).includes(value);

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export class HostTable {
  readonly #ids = new Map<string, number>();
  /** What was last committed per host, so an unchanged host (offline for days) costs no write. */
  readonly #written = new Map<string, Written>();
  readonly #pending = new Map<string, Written>();
  readonly #infoJson = new WeakMap<HostInfo, string>();
  readonly #add: Statement<unknown, [string]>;
  readonly #find: Statement<{ id: number }, [string]>;
  readonly #updateState: Statement<
    unknown,
    [number, string, string | null, number | null, string | null]
  >;
  readonly #updateSnapshot: Statement<unknown, [number, string | null]>;
  readonly #addChange: Statement<unknown, [number, number, string, string, string | null]>;
  readonly #trimChanges: Statement<unknown, [number, number]>;
  readonly #changes: Statement<
    { ts_ms: number; from_status: string; to_status: string; error: string | null },
    [number, number]
  >;
  readonly #all: Statement<StoredHost, []>;

  constructor(db: Database) {
    this.#add = db.prepare("INSERT INTO hosts (name) VALUES (?) ON CONFLICT (name) DO NOTHING");
    this.#find = db.prepare("SELECT id FROM hosts WHERE name = ?");
    this.#updateState = db.prepare(
      "UPDATE hosts SET status = ?2, info = ?3, last_seen_ms = ?4, last_error = ?5 WHERE id = ?1",
    );
    this.#updateSnapshot = db.prepare(
      `INSERT INTO host_snapshots (host, snapshot) VALUES (?1, ?2)
       ON CONFLICT (host) DO UPDATE SET snapshot = excluded.snapshot`,
    );
    this.#addChange = db.prepare(
      "INSERT INTO status_changes (host, ts_ms, from_status, to_status, error) VALUES (?, ?, ?, ?, ?)",
    );
    this.#trimChanges = db.prepare(
      `DELETE FROM status_changes WHERE host = ?1 AND id IN (
         SELECT id FROM status_changes WHERE host = ?1
         ORDER BY ts_ms DESC, id DESC LIMIT -1 OFFSET ?2)`,
    );
    this.#changes = db.prepare(
      `SELECT ts_ms, from_status, to_status, error FROM status_changes
       WHERE host = ? ORDER BY ts_ms DESC, id DESC LIMIT ?`,
    );
    this.#all = db.prepare(
      `SELECT name, status, info, snapshot, last_seen_ms, last_error
       FROM hosts LEFT JOIN host_snapshots ON host_snapshots.host = hosts.id ORDER BY id`,
    );
  }

  /** The host's id, added if new; null when the file has no room for another host. */
  idOf(name: string): number | null {
    const cached = this.#ids.get(name);
    if (cached !== undefined) return cached;
    this.#add.run(name);
    return this.#lookup(name);
  }

  /** The host's id if it has one, without adding it (queries). */
  findId(name: string): number | null {
    return this.#ids.get(name) ?? this.#lookup(name);
  }

  #lookup(name: string): number | null {
    const id = this.#find.get(name)?.id;
    if (id === undefined || id > MAX_HOST_ID) return null;
    this.#ids.set(name, id);
    return id;
  }

  /** Writes a host's state unless it is what was last written. Call in a transaction. */
  writeState(row: HostRow): void {
    const id = this.idOf(row.id);
    if (id === null) return;
    let infoJson: string | null = null;
    if (row.info) {
      infoJson = this.#infoJson.get(row.info) ?? JSON.stringify(row.info);
      this.#infoJson.set(row.info, infoJson);
    }
    const written = this.#pending.get(row.id) ?? this.#written.get(row.id);
    const state = [row.status, row.lastSeenMs, row.lastError, infoJson].join("\u0000");
    if (written?.state !== state) {
      this.#updateState.run(id, row.status, infoJson, row.lastSeenMs, row.lastError);
    }
    // A snapshot is told apart by its time: the same one again costs no write.
    const snapshot =
      row.snapshot === undefined ? written?.snapshot : String(row.snapshot?.ts_ms ?? null);
    if (row.snapshot !== undefined && written?.snapshot !== snapshot) {
      let json: string | null = null;
      if (row.snapshot) {
        // Processes belong to a watched host's detail view, not to what a restart shows.
        const { processes: _, ...fleet } = row.snapshot;
        json = JSON.stringify(fleet);
      }
      this.#updateSnapshot.run(id, json);
    }
    this.#pending.set(row.id, { state, snapshot });
  }

  /** Status changes, newest kept: at most MAX_CHANGES_PER_HOST per host. Call in a transaction. */
  addChanges(changes: readonly StatusChange[]): void {
    const touched = new Set<number>();
    for (const change of changes) {
      const id = this.idOf(change.host);
      if (id === null) continue;
      this.#addChange.run(id, change.tsMs, change.from, change.to, change.error);
      touched.add(id);
    }
    for (const id of touched) this.#trimChanges.run(id, MAX_CHANGES_PER_HOST);
  }

  /** The transaction that wrote the states committed. */
  committed(): void {
    for (const [name, fingerprint] of this.#pending) this.#written.set(name, fingerprint);
    this.#pending.clear();
  }

  /** The transaction rolled back: ids and fingerprints in memory may name nothing. */
  forget(): void {
    this.#ids.clear();
    this.#written.clear();
    this.#pending.clear();
  }

  /** Every host whose state was ever written, in the order they were first seen. */
  load(): HostRow[] {
    const rows: HostRow[] = [];
    for (const stored of this.#all.all()) {
      if (stored.status === null) continue;
      const info = decode(HostInfoSchema, parseJson(stored.info));
      const snapshot = decode(SnapshotSchema, parseJson(stored.snapshot));
      rows.push({
        id: stored.name,
        info: info.ok ? info.value : null,
        snapshot: snapshot.ok ? snapshot.value : null,
        lastSeenMs: stored.last_seen_ms,
        status: isStatus(stored.status) ? stored.status : "offline",
        lastError: stored.last_error,
      });
    }
    return rows;
  }

  /** A host's status changes, newest first. */
  changes(name: string, limit: number): StatusChange[] {
    const id = this.findId(name);
    if (id === null) return [];
    const bounded = Math.max(0, Math.min(Math.floor(limit), MAX_CHANGES_PER_HOST));
    return this.#changes.all(id, bounded).map((row) => ({
      host: name,
      tsMs: row.ts_ms,
      from: isStatus(row.from_status) ? row.from_status : "offline",
      to: isStatus(row.to_status) ? row.to_status : "offline",
      error: row.error,
    }));
  }
}
