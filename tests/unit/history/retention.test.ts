// Retention: each tier loses exactly the points older than it keeps (the point on the boundary
// stays), raw points wait for the rollup that needs them, and a tier removed from the config is
// emptied and forgotten.
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Layouts } from "../../../src/history/layouts.ts";
import { PointsTable } from "../../../src/history/points-table.ts";
import { Retention } from "../../../src/history/retention.ts";
import { Tiers } from "../../../src/history/tiers.ts";
import {
  MINUTE,
  openStore,
  query,
  removeTempDirs,
  sample,
  storedPoints,
  T0,
  type TierOptions,
  tempDir,
  watermark,
} from "../../helpers/history.ts";

afterAll(removeTempDirs);

const SHORT: TierOptions = {
  intervalMs: 10_000,
  rawRetentionMs: 2 * MINUTE,
  rollups: [
    { stepMs: MINUTE, retentionMs: 10 * MINUTE },
    { stepMs: 5 * MINUTE, retentionMs: 30 * MINUTE },
  ],
};

const times = (store: ReturnType<typeof openStore>, stepMs: number) =>
  storedPoints(store, stepMs, "a").map((p) => (p.tsMs - T0) / 1000);

/** Twenty minutes of rounds, one host; every tier rolled up to T0 + 20 min. */
function twentyMinutes(path: string, tiers = SHORT) {
  const store = openStore(path, tiers);
  for (let k = 0; k <= 120; k++) {
    store.writeRound(
      [sample("a", T0 + k * 10_000, { "cpu.total_pct": k })],
      [],
      [],
      T0 + k * 10_000,
    );
  }
  expect(watermark(store, MINUTE)).toBe(T0 + 20 * MINUTE);
  expect(watermark(store, 5 * MINUTE)).toBe(T0 + 20 * MINUTE);
  store.close();
}

describe("retention", () => {
  test("each tier keeps the point on its boundary and loses the one before it", () => {
    const path = join(tempDir(), "history.db");
    twentyMinutes(path);
    // A new store makes a full pass at its first round, exactly at the cutoffs.
    let store = openStore(path, SHORT);
    store.writeRound([], [], [], T0 + 20 * MINUTE);
    // raw: 2 minutes back from T0 + 1200 s is 1080 s.
    expect(times(store, 0)[0]).toBe(1080);
    expect(times(store, 0)).toHaveLength(13);
    // 1 minute: 10 minutes back, 600 s.
    expect(times(store, MINUTE)[0]).toBe(600);
    // 5 minutes: 30 minutes back is before anything.
    expect(times(store, 5 * MINUTE)).toEqual([0, 300, 600, 900]);
    store.close();

    store = openStore(path, SHORT);
    store.writeRound([], [], [], T0 + 35 * MINUTE);
    // 35 - 30 minutes: the step at 300 s stays, the one at 0 goes.
    expect(times(store, 5 * MINUTE)).toEqual([300, 600, 900, 1200]);
    expect(times(store, 0)).toEqual([]);
    // The 1-minute step rolled up from the last raw point is older than 10 minutes too.
    expect(times(store, MINUTE)).toEqual([]);
    store.close();
  });

  test("raw points past retention wait for the rollup that needs them", () => {
    const path = join(tempDir(), "history.db");
    // Recorded while raw points were kept a day and nothing was rolled up.
    const rawOnly: TierOptions = { ...SHORT, rawRetentionMs: 86_400_000, rollups: [] };
    let store = openStore(path, rawOnly);
    for (let k = 0; k < 60; k++) {
      store.writeRound(
        [sample("a", T0 + k * 10_000, { "cpu.total_pct": k })],
        [],
        [],
        T0 + k * 10_000,
      );
    }
    store.close();
    // The rollup tier added now has not rolled anything up yet: raw points must wait for it.
    const withRollup: TierOptions = {
      ...SHORT,
      rollups: [{ stepMs: MINUTE, retentionMs: 10 * MINUTE }],
    };
    store = openStore(path, withRollup);
    const db = store.db;
    const tiers = Tiers.load(db, withRollup);
    const retention = new Retention(db, tiers, new PointsTable(db), new Layouts(db), () => [1]);
    const nowMs = T0 + 3 * 3_600_000;
    retention.run(nowMs);
    expect(times(store, 0)).toHaveLength(60);
    // Rolled up to 5 minutes: what is before goes, what is after still waits.
    const tier = tiers.chain[1];
    if (!tier) throw new Error("no rollup tier");
    db.transaction(() => tiers.setWatermark(tier, T0 + 5 * MINUTE))();
    retention.run(nowMs + MINUTE);
    expect(times(store, 0)[0]).toBe(300);
    expect(times(store, 0)).toHaveLength(30);
    store.close();
  });

  test("a tier removed from the config is emptied, then forgotten", () => {
    const path = join(tempDir(), "history.db");
    twentyMinutes(path);
    const store = openStore(path, {
      ...SHORT,
      rollups: [SHORT.rollups[0] ?? { stepMs: 0, retentionMs: 0 }],
    });
    store.writeRound([], [], [], T0 + 20 * MINUTE);
    expect(times(store, 5 * MINUTE)).toEqual([]);
    store.writeRound([], [], [], T0 + 20 * MINUTE + 10_000);
    const steps = store.db.query<{ step_ms: number }, []>("SELECT step_ms FROM tiers").all();
    expect(steps.map((row) => row.step_ms)).toEqual([0, MINUTE]);
    // The 1-minute tier is untouched.
    expect(times(store, MINUTE)[0]).toBe(600);
    store.close();
  });

  test("deletions are bounded per round", () => {
    const path = join(tempDir(), "history.db");
    // Recorded while every tier was kept a day: 121 raw points, 20 one-minute, 4 five-minute.
    const day = 86_400_000;
    twentyMinutes(path, {
      ...SHORT,
      rawRetentionMs: day,
      rollups: SHORT.rollups.map((r) => ({ ...r, retentionMs: day })),
    });
    const store = openStore(path, SHORT);
    const db = store.db;
    const tiers = Tiers.load(db, SHORT);
    const retention = new Retention(db, tiers, new PointsTable(db), new Layouts(db), () => [1]);
    // At T0 + 2 h everything has expired: 120 raw points (the last one waits for its
    // rollup), 20 one-minute steps and 4 five-minute steps, 144 in all.
    const nowMs = T0 + 2 * 3_600_000;
    const deleted = [1, 2, 3, 4].map(() => retention.run(nowMs, 50));
    expect(deleted).toEqual([50, 50, 44, 0]);
    expect(times(store, 0)).toEqual([1200]);
    expect(times(store, MINUTE)).toEqual([]);
    expect(times(store, 5 * MINUTE)).toEqual([]);
    store.close();
  });

  test("a layout in use stays; one unused past the longest retention (and a day) goes", async () => {
    const path = join(tempDir(), "history.db");
    // Raw points only: nothing but the recording of samples keeps the layout in use.
    const tiers: TierOptions = { ...SHORT, rawRetentionMs: 10 * MINUTE, rollups: [] };
    const store = openStore(path, tiers);
    const layouts = () =>
      store.db
        .query<{ names: string }, []>("SELECT names FROM layouts ORDER BY id")
        .all()
        .map((row) => row.names);
    store.writeRound([sample("a", T0, { "cpu.total_pct": 1 })], [], [], T0);
    // Two days of rounds every 5 minutes with a second metric: a new layout, the first unused.
    const endMs = T0 + 2 * 86_400_000;
    for (let t = T0 + 5 * MINUTE; t <= endMs; t += 5 * MINUTE) {
      store.writeRound([sample("a", t, { "cpu.total_pct": 2, "memory.used_pct": 3 })], [], [], t);
    }
    expect(layouts()).toEqual(['["cpu.total_pct","memory.used_pct"]']);
    const answer = await store.query(query(["a"], ["memory.used_pct"], endMs - 5 * MINUTE, endMs));
    expect(answer.hosts.get("a")?.get("memory.used_pct")).toEqual([
      [endMs - 5 * MINUTE, 3],
      [endMs, 3],
    ]);
    store.close();
  });
});
