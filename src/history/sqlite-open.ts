// Opens (or creates) the history file with the settings the recorder relies on, turning every
// way that can fail into a HistoryError whose message tells the user what to do.
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { HistoryError } from "./backend.ts";
import { describeFailure, directoryReason } from "./sqlite-errors.ts";
import { prepareSchema } from "./sqlite-schema.ts";

/**
 * bun:sqlite runs on the receiver's only thread: waiting for a lock stalls every dashboard. A
 * few milliseconds ride out a reader's checkpoint; a writer holding on longer costs a round,
 * which is kept in memory and written with the next.
 */
export const BUSY_TIMEOUT_MS = 5;

export function openDatabase(path: string): Database {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new HistoryError(
      `cannot create the history directory ${dir}: ${directoryReason(error, dir).reason}`,
    );
  }
  let db: Database;
  try {
    db = new Database(path, { create: true, readwrite: true, strict: true });
  } catch (error) {
    throw new HistoryError(describeFailure(error, path).message);
  }
  try {
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Takes effect only on a new file, and only before WAL writes its first page: free pages
    // can then be given back a few at a time (retention.ts). A no-op on an existing file.
    db.run("PRAGMA auto_vacuum = INCREMENTAL");
    // WAL: readers (queries, the sqlite3 shell) never block the writer, and a commit is one
    // append. synchronous NORMAL syncs at checkpoints only: a crash of the process loses
    // nothing committed, a power cut at most the last rounds, never the file.
    db.run("PRAGMA journal_mode = WAL");
    db.run("PRAGMA synchronous = NORMAL");
    const problem = prepareSchema(db);
    if (problem) throw new HistoryError(`history file ${path} ${problem}`);
    // A checkpoint leaves the WAL file at its largest size unless told otherwise.
    db.run(`PRAGMA journal_size_limit = ${16 * 1024 * 1024}`);
    // A 30-day chart reads ~2 MB of pages; keep a few such in memory (default: 2 MB).
    db.run("PRAGMA cache_size = -16000");
    db.run("PRAGMA temp_store = MEMORY");
    return db;
  } catch (error) {
    db.close();
    if (error instanceof HistoryError) throw error;
    throw new HistoryError(describeFailure(error, path).message);
  }
}
