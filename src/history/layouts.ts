// Layouts: the ordered metric names a stored point's values follow, kept once per distinct list
// and shared by every host that has the same list (200 identical VMs: one layout). A new
// interface or disk makes a new list, hence a new layout; old points keep theirs.
import type { Database, Statement } from "bun:sqlite";

/** used_ms is refreshed at most this often, so using a layout costs no write per point. */
const TOUCH_EVERY_MS = 3_600_000;
/** Caches are dropped past this size (a host whose containers come and go makes many lists). */
const MAX_CACHED = 20_000;

interface Entry {
  id: number;
  names: readonly string[];
  usedMs: number;
}

export class Layouts {
  readonly #byKey = new Map<string, Entry>();
  readonly #byId = new Map<number, Entry>();
  readonly #find: Statement<{ id: number; used_ms: number }, [string]>;
  readonly #load: Statement<{ names: string; used_ms: number }, [number]>;
  readonly #insert: Statement<{ id: number }, [string, number]>;
  readonly #touch: Statement<unknown, [number, number]>;
  readonly #collect: Statement<unknown, [number]>;

  constructor(db: Database) {
    this.#find = db.prepare("SELECT id, used_ms FROM layouts WHERE names = ?");
    this.#load = db.prepare("SELECT names, used_ms FROM layouts WHERE id = ?");
    this.#insert = db.prepare("INSERT INTO layouts (names, used_ms) VALUES (?, ?) RETURNING id");
    this.#touch = db.prepare("UPDATE layouts SET used_ms = ? WHERE id = ?");
    this.#collect = db.prepare("DELETE FROM layouts WHERE used_ms < ?");
  }

  /** The id of a list of names, stored if new, marked as used at nowMs. Call in a transaction. */
  idOf(names: readonly string[], nowMs: number): number {
    const key = JSON.stringify(names);
    let entry = this.#byKey.get(key);
    if (!entry) {
      const found = this.#find.get(key);
      const id = found?.id ?? this.#insert.get(key, nowMs)?.id;
      if (id === undefined) throw new Error("layout insert returned no id");
      entry = this.#remember(id, [...names], found?.used_ms ?? nowMs, key);
    }
    this.touch(entry.id, nowMs);
    return entry.id;
  }

  /** Marks a layout as used at nowMs (written to the file about hourly). */
  touch(id: number, nowMs: number): void {
    // Not cached (the caches were dropped): load it, or a layout in use would never be
    // marked again and would be collected as unused.
    if (!this.#byId.has(id)) this.namesOf(id);
    const entry = this.#byId.get(id);
    if (!entry || nowMs - entry.usedMs < TOUCH_EVERY_MS) return;
    this.#touch.run(nowMs, id);
    entry.usedMs = nowMs;
  }

  /** The names of a layout; null when it is gone (its points are past every retention). */
  namesOf(id: number): readonly string[] | null {
    const cached = this.#byId.get(id);
    if (cached) return cached.names;
    const row = this.#load.get(id);
    if (!row) return null;
    const names: unknown = JSON.parse(row.names);
    if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) return null;
    return this.#remember(id, names, row.used_ms, row.names).names;
  }

  /** Deletes layouts unused since beforeMs: every point that used them is past retention. */
  collect(beforeMs: number): void {
    this.#collect.run(beforeMs);
    this.forget();
  }

  /** Drops the caches: after a rolled-back transaction they may name rows that do not exist. */
  forget(): void {
    this.#byKey.clear();
    this.#byId.clear();
  }

  #remember(id: number, names: readonly string[], usedMs: number, key: string): Entry {
    if (this.#byId.size >= MAX_CACHED) this.forget();
    const entry = { id, names, usedMs };
    this.#byKey.set(key, entry);
    this.#byId.set(id, entry);
    return entry;
  }
}
