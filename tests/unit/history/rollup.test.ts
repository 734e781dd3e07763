// Rollups checked by hand: means, maxima and counts of the first tier from raw points, the next
// tier weighted by those counts, metrics that come and go, the watermark across a restart, and
// the bounded work of a catch-up.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Layouts } from "../../../src/history/layouts.ts";
import { PointsTable } from "../../../src/history/points-table.ts";
import { Rollups } from "../../../src/history/rollup.ts";
import { Tiers } from "../../../src/history/tiers.ts";
import {
  captureLog,
  MINUTE,
  openStore,
  removeTempDirs,
  sample,
  storedPoints,
  T0,
  tempDir,
  watermark,
} from "../../helpers/history.ts";

afterAll(removeTempDirs);

const CPU = "cpu.total_pct";
const MEM = "memory.used_pct";
const DISK = "disks[/x].used_pct";

/**
 * Round k at T0 + 10 k s. Host a: cpu = k, memory 50; absent in rounds 6 to 9; a disk that
 * shows up in rounds 3 and 4 only. Host b: cpu = 100 - k every round.
 */
function roundSamples(k: number) {
  const samples = [sample("b", T0 + k * 10_000, { [CPU]: 100 - k })];
  if (k < 6 || k > 9) {
    const a: Record<string, number> = { [CPU]: k, [MEM]: 50 };
    if (k === 3) a[DISK] = 30;
    if (k === 4) a[DISK] = 40;
    samples.push(sample("a", T0 + k * 10_000, a));
  }
  return samples;
}

function write(store: ReturnType<typeof openStore>, from: number, to: number) {
  for (let k = from; k <= to; k++) store.writeRound(roundSamples(k), [], [], T0 + k * 10_000);
}

const summary = (
  values: Map<string, { mean: number; max: number; count: number }> | undefined,
  name: string,
) => {
  const v = values?.get(name);
  return v ? [v.mean, v.max, v.count] : null;
};

describe("rollups", () => {
  test("1-minute steps from raw points and 5-minute steps weighted by their counts", () => {
    const path = join(tempDir(), "history.db");
    const store = openStore(path);
    write(store, 0, 29);
    // Four minutes are due at T0 + 290 s: a tier waits for five (one write per host, not four).
    expect(storedPoints(store, MINUTE, "a")).toEqual([]);
    write(store, 30, 30);

    const minutes = storedPoints(store, MINUTE, "a");
    expect(minutes.map((p) => p.tsMs)).toEqual([0, 1, 2, 3, 4].map((m) => T0 + m * MINUTE));
    const [m0, m1, m2, m3, m4] = minutes;
    // Minute 0: rounds 0-5, the disk in rounds 3 and 4 only, so its count is its own.
    expect([...(m0?.values.keys() ?? [])]).toEqual([CPU, MEM, DISK]);
    expect(summary(m0?.values, CPU)).toEqual([2.5, 5, 6]);
    expect(summary(m0?.values, MEM)).toEqual([50, 50, 6]);
    expect(summary(m0?.values, DISK)).toEqual([35, 40, 2]);
    // Minute 1: host a answered only in rounds 10 and 11; the disk is gone from the layout.
    expect([...(m1?.values.keys() ?? [])]).toEqual([CPU, MEM]);
    expect(summary(m1?.values, CPU)).toEqual([10.5, 11, 2]);
    expect(summary(m2?.values, CPU)).toEqual([14.5, 17, 6]);
    expect(summary(m3?.values, CPU)).toEqual([20.5, 23, 6]);
    expect(summary(m4?.values, CPU)).toEqual([26.5, 29, 6]);
    expect(summary(storedPoints(store, MINUTE, "b")[1]?.values, CPU)).toEqual([
      100 - 8.5,
      100 - 6,
      6,
    ]);

    // Five minutes: rounds 0-5 and 10-29, 26 points summing to 405. The mean of the five
    // minute means would be 14.9: only weighting by counts gives 405 / 26.
    const fives = storedPoints(store, 5 * MINUTE, "a");
    expect(fives.map((p) => p.tsMs)).toEqual([T0]);
    const [mean, max, count] = summary(fives[0]?.values, CPU) ?? [];
    expect(mean).toBeCloseTo(405 / 26, 5);
    expect([max, count]).toEqual([29, 26]);
    expect(summary(fives[0]?.values, MEM)).toEqual([50, 50, 26]);
    expect(summary(fives[0]?.values, DISK)).toEqual([35, 40, 2]);
    expect(watermark(store, MINUTE)).toBe(T0 + 5 * MINUTE);
    expect(watermark(store, 5 * MINUTE)).toBe(T0 + 5 * MINUTE);
    store.close();
  });

  test("a restart continues from the watermarks, without computing again what is done", () => {
    const path = join(tempDir(), "history.db");
    let store = openStore(path);
    write(store, 0, 30);
    store.close();
    // If the store computed from scratch after a restart, this minute would come back.
    const db = new Database(path);
    const tier = db.query<{ id: number }, []>("SELECT id FROM tiers WHERE step_ms = 60000").get();
    db.run("DELETE FROM points WHERE key >> 59 = ? AND key & 4398046511103 = ?", [
      tier?.id ?? -1,
      T0 + 2 * MINUTE,
    ]);
    db.close();

    store = openStore(path);
    write(store, 31, 60);
    const minutes = storedPoints(store, MINUTE, "a").map((p) => (p.tsMs - T0) / MINUTE);
    expect(minutes).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
    expect(summary(storedPoints(store, MINUTE, "a")[4]?.values, CPU)).toEqual([32.5, 35, 6]);
    const fives = storedPoints(store, 5 * MINUTE, "a");
    expect(fives.map((p) => p.tsMs)).toEqual([T0, T0 + 5 * MINUTE]);
    expect(summary(fives[1]?.values, CPU)).toEqual([44.5, 59, 30]);
    expect(watermark(store, MINUTE)).toBe(T0 + 10 * MINUTE);
    // Every raw point is still there (raw is kept an hour), host a's missing rounds aside.
    expect(storedPoints(store, 0, "a")).toHaveLength(61 - 4);
    store.close();
  });

  test("catching up is spread over rounds: each reads at most its budget (and one step)", () => {
    const path = join(tempDir(), "history.db");
    // Thirty minutes recorded without rollups, then a 1-minute tier added to the config.
    const rawOnly = { intervalMs: 10_000, rawRetentionMs: 86_400_000, rollups: [] };
    let store = openStore(path, rawOnly);
    for (let k = 0; k < 180; k++) {
      store.writeRound([sample("a", T0 + k * 10_000, { [CPU]: k })], [], [], T0 + k * 10_000);
    }
    store.close();
    store = openStore(path, { ...rawOnly, rollups: [{ stepMs: MINUTE, retentionMs: 86_400_000 }] });
    const db = store.db;
    const tiers = Tiers.load(db, {
      ...rawOnly,
      rollups: [{ stepMs: MINUTE, retentionMs: 86_400_000 }],
    });
    const rollups = new Rollups(db, tiers, new PointsTable(db), new Layouts(db), () => [1]);
    const nowMs = T0 + 30 * MINUTE;
    // A budget of 36 points is six 1-minute steps of six raw points each.
    const reads: number[] = [];
    for (let round = 0; round < 6; round++) reads.push(rollups.run(nowMs, 36));
    expect(reads).toEqual([36, 36, 36, 36, 36, 0]);
    expect(watermark(store, MINUTE)).toBe(T0 + 30 * MINUTE);
    const minutes = storedPoints(store, MINUTE, "a");
    expect(minutes).toHaveLength(30);
    expect(summary(minutes[29]?.values, CPU)).toEqual([176.5, 179, 6]);
    store.close();
  });

  test("a rollup no coarser than the interval is left out, with a warning", () => {
    const captured = captureLog();
    const store = openStore(
      join(tempDir(), "history.db"),
      {
        intervalMs: 2 * MINUTE,
        rawRetentionMs: 3_600_000,
        rollups: [
          { stepMs: MINUTE, retentionMs: 86_400_000 },
          { stepMs: 10 * MINUTE, retentionMs: 86_400_000 },
        ],
      },
      captured,
    );
    const steps = store.db
      .query<{ step_ms: number }, []>("SELECT step_ms FROM tiers ORDER BY step_ms")
      .all();
    expect(steps.map((row) => row.step_ms)).toEqual([0, 10 * MINUTE]);
    expect(captured.lines).toHaveLength(1);
    expect(captured.lines[0]).toMatch(
      / warn history rollup left out: .* step_ms=60000 interval_ms=120000$/,
    );
    store.close();
  });
});
