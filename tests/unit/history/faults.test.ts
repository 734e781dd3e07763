// What users see when the file cannot be used: a damaged, foreign or newer file and a missing
// directory are refused at open with a message; a locked, full or read-only file costs rounds
// that are logged once, kept in memory and written once the fault is gone. writeRound never
// throws. A real full disk and a read-only file system are tmpfs mounts (root only).
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { HistoryError } from "../../../src/history/backend.ts";
import { MAX_PENDING_ROUNDS } from "../../../src/history/pending-rounds.ts";
import type { SqliteHistory } from "../../../src/history/sqlite.ts";
import {
  type Captured,
  captureLog,
  openStore,
  query,
  removeTempDirs,
  sample,
  T0,
  tempDir,
} from "../../helpers/history.ts";

afterAll(removeTempDirs);

/** A round of 50 hosts × 60 metrics, so that every round needs new pages. */
function round(store: SqliteHistory, k: number): void {
  const tsMs = T0 + k * 10_000;
  const samples = Array.from({ length: 50 }, (_, h) =>
    sample(
      `host-${h}`,
      tsMs,
      Object.fromEntries(Array.from({ length: 60 }, (_, m) => [`cpu.cores_pct[${m}]`, k + m])),
    ),
  );
  store.writeRound(samples, [], [], tsMs);
}

/** The rounds whose points are in the file (host-0's raw points of the last hour). */
async function roundsStored(store: SqliteHistory, lastK: number): Promise<number[]> {
  const answer = await store.query(
    query(["host-0"], ["cpu.cores_pct[0]"], T0 + lastK * 10_000 - 3_000_000, T0 + lastK * 10_000),
  );
  return (answer.hosts.get("host-0")?.get("cpu.cores_pct[0]") ?? []).map(([, value]) => value);
}

const errors = (captured: Captured) => captured.lines.filter((line) => / error /.test(line));

function openError(path: string): string {
  try {
    openStore(path).close();
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryError);
    return (error as Error).message;
  }
  throw new Error(`${path} opened`);
}

describe("files that are refused at open", () => {
  test("garbage bytes: damaged, with what to do", () => {
    const path = join(tempDir(), "history.db");
    writeFileSync(path, Buffer.alloc(16_384, "not a database "));
    expect(openError(path)).toBe(
      `history file ${path} is damaged (file is not a database): move it away or delete it; hwm starts a new one`,
    );
  });

  test("a file from a newer hwm", () => {
    const path = join(tempDir(), "history.db");
    openStore(path).close();
    const db = new Database(path);
    db.run("PRAGMA user_version = 99");
    db.close();
    expect(openError(path)).toBe(
      `history file ${path} was written by a newer hwm (history format 99; this hwm reads up to 1): upgrade hwm, or move the file away and hwm starts a new one`,
    );
  });

  test("another program's database", () => {
    const path = join(tempDir(), "other.db");
    const db = new Database(path);
    db.run("CREATE TABLE notes (text TEXT)");
    db.close();
    expect(openError(path)).toBe(
      `history file ${path} is not an hwm history file (it holds other tables): choose another history.path`,
    );
  });

  test("a directory that cannot be made (a file is in the way)", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "state"), "");
    expect(openError(join(dir, "state", "hwm", "history.db"))).toBe(
      `cannot create the history directory ${join(dir, "state", "hwm")}: ${join(dir, "state", "hwm")} or a parent of it is not a directory`,
    );
  });

  test("the directory is made, mode 0700", () => {
    const dir = join(tempDir(), "state", "hwm");
    openStore(join(dir, "history.db")).close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});

describe("faults while writing", () => {
  test("locked by another process: logged once, rounds kept, written once the lock is gone", async () => {
    const path = join(tempDir(), "history.db");
    const captured = captureLog();
    const store = openStore(path, undefined, captured);
    round(store, 0);
    const other = new Database(path);
    other.run("BEGIN EXCLUSIVE");
    other.run("CREATE TABLE other_writer (x)");
    const startMs = performance.now();
    for (let k = 1; k <= 3; k++) expect(() => round(store, k)).not.toThrow();
    // Not a hang: three rounds against a held lock cost a few milliseconds each.
    expect(performance.now() - startMs).toBeLessThan(500);
    expect(errors(captured)).toHaveLength(1);
    expect(errors(captured)[0]).toContain(
      `history file ${path} is locked by another process (another hwm receiver on the same file?)`,
    );
    other.run("ROLLBACK");
    other.close();
    round(store, 4);
    expect(await roundsStored(store, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(captured.lines.at(-1)).toMatch(
      / info history is written again .*failed_rounds=3 rounds_written=4 rounds_lost=0/,
    );
    store.close();
  });

  test(`at most ${MAX_PENDING_ROUNDS} rounds are kept, the one written included: the oldest go`, async () => {
    const path = join(tempDir(), "history.db");
    const captured = captureLog();
    const store = openStore(path, undefined, captured);
    const other = new Database(path);
    other.run("BEGIN EXCLUSIVE");
    other.run("CREATE TABLE other_writer (x)");
    for (let k = 0; k < MAX_PENDING_ROUNDS + 5; k++) round(store, k);
    other.run("ROLLBACK");
    other.close();
    round(store, MAX_PENDING_ROUNDS + 5);
    const stored = await roundsStored(store, MAX_PENDING_ROUNDS + 5);
    expect(stored).toEqual(Array.from({ length: MAX_PENDING_ROUNDS }, (_, i) => i + 6));
    expect(captured.lines.at(-1)).toContain(`rounds_written=${MAX_PENDING_ROUNDS} rounds_lost=6`);
    store.close();
  });

  test("disk full (the file may not grow): logged once, written once there is room", async () => {
    const path = join(tempDir(), "history.db");
    const captured = captureLog();
    const store = openStore(path, undefined, captured);
    round(store, 0);
    const pages = store.db.query<{ page_count: number }, []>("PRAGMA page_count").get()?.page_count;
    store.db.run(`PRAGMA max_page_count = ${pages}`);
    for (let k = 1; k <= 4; k++) expect(() => round(store, k)).not.toThrow();
    expect(errors(captured)).toHaveLength(1);
    expect(errors(captured)[0]).toContain(`cannot write history to ${path}: disk full`);
    store.db.run("PRAGMA max_page_count = 1073741823");
    round(store, 5);
    expect(await roundsStored(store, 5)).toEqual([0, 1, 2, 3, 4, 5]);
    store.close();
  });

  test("read-only: logged once, written once it is writable again", async () => {
    const path = join(tempDir(), "history.db");
    const captured = captureLog();
    const store = openStore(path, undefined, captured);
    round(store, 0);
    // As root, file modes stop nothing; query_only makes SQLite refuse writes just as it does
    // for a file it could open only for reading (SQLITE_READONLY).
    store.db.run("PRAGMA query_only = 1");
    for (let k = 1; k <= 3; k++) expect(() => round(store, k)).not.toThrow();
    expect(errors(captured)).toHaveLength(1);
    expect(errors(captured)[0]).toContain(`cannot write history to ${path}: the file is read-only`);
    store.db.run("PRAGMA query_only = 0");
    round(store, 4);
    expect(await roundsStored(store, 4)).toEqual([0, 1, 2, 3, 4]);
    store.close();
  });

  test("a page damaged on disk: queries fail with a message, rounds never throw", async () => {
    const path = join(tempDir(), "history.db");
    let store = openStore(path);
    for (let k = 0; k < 30; k++) round(store, k);
    const pages = store.db
      .query<{ pageno: number }, []>(
        "SELECT pageno FROM dbstat WHERE name = 'points' AND pagetype = 'leaf' ORDER BY pageno",
      )
      .all();
    store.db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    store.close();
    const pageSize = 4096;
    const fd = openSync(path, "r+");
    for (const { pageno } of pages.slice(0, 20)) {
      writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (pageno - 1) * pageSize);
    }
    closeSync(fd);

    const captured = captureLog();
    store = openStore(path, undefined, captured);
    for (let k = 30; k < 33; k++) expect(() => round(store, k)).not.toThrow();
    await expect(roundsStored(store, 29)).rejects.toThrow(
      new HistoryError(
        `history file ${path} is damaged (database disk image is malformed): move it away or delete it; hwm starts a new one`,
      ),
    );
    expect(errors(captured).length).toBeLessThanOrEqual(2);
    store.close();
  });
});

// tmpfs mounts: a real ENOSPC and a real EROFS. Root only (CAP_SYS_ADMIN). Unmounted by the
// test itself: the temporary directory it sits in is removed after every test file.
function withTmpfs(options: string, use: (dir: string) => Promise<void> | void) {
  return async () => {
    const dir = join(tempDir(), "mnt");
    mkdirSync(dir);
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
    try {
      await use(dir);
    } finally {
      execFileSync("umount", ["-l", dir]);
    }
  };
}
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)("real file systems (root)", () => {
  test(
    "a full file system: logged once, written once there is room again",
    withTmpfs("size=4m", async (dir) => {
      const path = join(dir, "history.db");
      const captured = captureLog();
      const store = openStore(path, undefined, captured);
      round(store, 0);
      const filler = join(dir, "filler");
      try {
        writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024));
      } catch {
        // ENOSPC: the file system is full, as wanted
      }
      for (let k = 1; k <= 12; k++) expect(() => round(store, k)).not.toThrow();
      expect(errors(captured)).toHaveLength(1);
      expect(errors(captured)[0]).toContain(`cannot write history to ${path}: disk full`);
      rmSync(filler);
      round(store, 13);
      expect(await roundsStored(store, 13)).toEqual(Array.from({ length: 14 }, (_, k) => k));
      store.close();
    }),
  );

  test(
    "a read-only file system: refused at open with the reason",
    withTmpfs("size=1m", (dir) => {
      execFileSync("mount", ["-o", "remount,ro", dir]);
      expect(openError(join(dir, "history.db"))).toBe(
        `cannot write history to ${join(dir, "history.db")}: read-only file system`,
      );
      expect(openError(join(dir, "hwm", "history.db"))).toBe(
        `cannot create the history directory ${join(dir, "hwm")}: read-only file system`,
      );
    }),
  );
});
