// The SQLite file's tables, its version, and how a point's key packs tier, host and time.
import type { Database } from "bun:sqlite";

/** Kept in PRAGMA user_version: a file from a newer hwm is refused rather than misread. */
export const SCHEMA_VERSION = 1;

/*
 * A point's key packs tier, host and time into one 63-bit integer: 4 bits of tier on top, then
 * 17 of host and 42 of milliseconds (until the year 2109), in an order that depends on the tier:
 *
 *   rollups: tier | host | ts_ms   "one host, one tier, a time range" is a range of the rowid;
 *   raw:     tier | ts_ms | host   a round's points (every host, one time) are appended together.
 *
 * Host first for raw too would make every round rewrite one page per host (200 hosts: ~250 pages,
 * 1 MB, every round; the bench measured 3.3 MB written per round in all, against 0.7 MB now);
 * time first appends ~15 pages. The price is paid by the rarer one-host raw read, which scans
 * the other hosts' points of the same hour: a 1-hour chart takes ~12 ms with 200 hosts, not ~3.
 *
 * A rowid table needs no index for either. A WITHOUT ROWID table keyed on three columns would do
 * the same, but it stores whole rows in its interior pages and spills a row over ~1 KB to an
 * overflow page (a 64-core host's rollup is ~1.2 KB); a rowid table keeps rows up to ~4 KB on
 * their leaf page, and its interior pages hold only keys.
 *
 * JavaScript numbers are exact only up to 2^53, so keys are built and taken apart in SQL
 * (points-table.ts); JavaScript only sees tier, host and time.
 */
export const TS_BITS = 42;
export const HOST_BITS = 17;
export const TIER_SHIFT = TS_BITS + HOST_BITS;
export const MAX_TS_MS = 2 ** TS_BITS - 1;
export const MAX_HOST_ID = 2 ** HOST_BITS - 1;
export const MAX_TIER_ID = 15;

const TABLES = `
-- Every host ever seen; status is null until a state is written (samples alone make a row).
CREATE TABLE hosts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  status TEXT,
  info TEXT,
  last_seen_ms INTEGER,
  last_error TEXT
);
-- Apart from hosts: a snapshot (~3 KB) spills onto overflow pages, and SQLite rewrites a whole
-- row, overflow and all, when last_seen_ms changes every round.
CREATE TABLE host_snapshots (
  host INTEGER PRIMARY KEY,
  snapshot TEXT
);
-- An ordered list of metric names (a JSON array), shared by every point that has those names.
-- used_ms is refreshed about hourly while in use; a layout unused for longer than the longest
-- retention has no points left and is deleted.
CREATE TABLE layouts (
  id INTEGER PRIMARY KEY,
  names TEXT NOT NULL UNIQUE,
  used_ms INTEGER NOT NULL
);
-- Raw (step_ms 0) and one row per rollup step. watermark_ms: every bucket that starts before it
-- is rolled up, so a restart continues there. A step no longer configured is purged, then
-- its row removed.
CREATE TABLE tiers (
  id INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND ${MAX_TIER_ID}),
  step_ms INTEGER NOT NULL UNIQUE,
  watermark_ms INTEGER
);
-- key: tier, host and time packed (sqlite-schema.ts); data: the values (packed.ts).
CREATE TABLE points (
  key INTEGER PRIMARY KEY,
  layout INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE status_changes (
  id INTEGER PRIMARY KEY,
  host INTEGER NOT NULL,
  ts_ms INTEGER NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  error TEXT
);
CREATE INDEX status_changes_by_host ON status_changes (host, ts_ms);
-- For people reading the file with the sqlite3 shell.
CREATE VIEW points_readable AS
  SELECT tier, host, ts_ms, layout, bytes FROM (
    SELECT key >> ${TIER_SHIFT} AS tier,
           CASE WHEN tiers.step_ms = 0 THEN key & ${MAX_HOST_ID}
                ELSE (key >> ${TS_BITS}) & ${MAX_HOST_ID} END AS host,
           CASE WHEN tiers.step_ms = 0 THEN (key >> ${HOST_BITS}) & ${MAX_TS_MS}
                ELSE key & ${MAX_TS_MS} END AS ts_ms,
           layout,
           length(data) AS bytes
    FROM points JOIN tiers ON tiers.id = key >> ${TIER_SHIFT});
`;

const OUR_TABLES = ["hosts", "host_snapshots", "layouts", "tiers", "points", "status_changes"];

/**
 * Creates the tables in an empty file, or checks that a file is ours and not from a newer hwm.
 * Returns a problem for users, or null. Other tables may live in the file (the alert engine
 * keeps its own), so "ours" means: our version number, or no tables at all.
 */
export function prepareSchema(db: Database): string | null {
  const version = db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version;
  if (version !== undefined && version > SCHEMA_VERSION) {
    return `was written by a newer hwm (history format ${version}; this hwm reads up to ${SCHEMA_VERSION}): upgrade hwm, or move the file away and hwm starts a new one`;
  }
  if (version === SCHEMA_VERSION) {
    const present = new Set(
      db
        .query<{ name: string }, []>("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .all()
        .map((row) => row.name),
    );
    const missing = OUR_TABLES.filter((name) => !present.has(name));
    return missing.length > 0 ? `is damaged (tables missing: ${missing.join(", ")})` : null;
  }
  const tables = db
    .query<{ n: number }, []>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'")
    .get();
  if ((tables?.n ?? 0) > 0) {
    return "is not an hwm history file (it holds other tables): choose another history.path";
  }
  db.transaction(() => {
    db.run(TABLES);
    db.run(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  }).immediate();
  return null;
}
