// Queries over three days of one host at 1-minute rounds: the tier chosen by range and step,
// the coarse tier's open tail filled from the finer ones, wildcards, maxima, clamping, and only
// steps with data. Every mean and maximum is checked against the raw values it stands for.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { MAX_POINTS, MAX_RANGE_MS, MAX_SERIES } from "../../../src/history/backend.ts";
import type { SqliteHistory } from "../../../src/history/sqlite.ts";
import {
  DAY,
  HOUR,
  MINUTE,
  openStore,
  query,
  removeTempDirs,
  sample,
  T0,
  type TierOptions,
  tempDir,
} from "../../helpers/history.ts";

afterAll(removeTempDirs);

const TIERS: TierOptions = {
  intervalMs: MINUTE,
  rawRetentionMs: 2 * HOUR,
  rollups: [
    { stepMs: 5 * MINUTE, retentionMs: DAY },
    { stepMs: HOUR, retentionMs: 30 * DAY },
  ],
};
const ROUNDS = 3 * 24 * 60;
/** The host answered nothing from hour 50 to hour 53. */
const DOWN = { fromK: 50 * 60, toK: 53 * 60 };
const LAST_MS = T0 + (ROUNDS - 1) * MINUTE;

/** cpu.total_pct of round k: jumps around, so a wrong weighting shows. */
const cpu = (k: number) => (k * 37) % 101;
const answered = (k: number) => k < DOWN.fromK || k >= DOWN.toK;

/** The mean and maximum of the raw values recorded in [fromMs, toMs). */
function expected(fromMs: number, toMs: number): { mean: number; max: number } | null {
  let sum = 0;
  let n = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (
    let k = Math.max(0, Math.ceil((fromMs - T0) / MINUTE));
    T0 + k * MINUTE < toMs && k < ROUNDS;
    k++
  ) {
    if (!answered(k)) continue;
    sum += cpu(k);
    n++;
    max = Math.max(max, cpu(k));
  }
  return n === 0 ? null : { mean: sum / n, max };
}

let store: SqliteHistory;

beforeAll(() => {
  store = openStore(join(tempDir(), "history.db"), TIERS);
  for (let k = 0; k < ROUNDS; k++) {
    const tsMs = T0 + k * MINUTE;
    const samples = [];
    if (answered(k)) {
      const values: Record<string, number> = {
        "cpu.total_pct": cpu(k),
        "network[eth0].rx_bps": 1000 + k,
      };
      // A second interface from day 2 on.
      if (k >= 24 * 60) values["network[eth1].rx_bps"] = 2000 + k;
      samples.push(sample("a", tsMs, values));
    }
    store.writeRound(samples, [], [], tsMs);
  }
});

afterAll(() => store.close());

/** Every step of [fromMs, toMs] of the answer's step that has data, as the answer should hold it. */
function expectedSteps(fromMs: number, toMs: number, stepMs: number, agg: "avg" | "max") {
  const out: [number, number][] = [];
  for (let t = Math.floor(fromMs / stepMs) * stepMs; t <= toMs; t += stepMs) {
    const e = expected(t, Math.min(t + stepMs, toMs + 1));
    if (e) out.push([t, agg === "avg" ? e.mean : e.max]);
  }
  return out;
}

function expectClose(actual: [number, number][] | undefined, wanted: [number, number][]) {
  expect(actual?.map(([t]) => t)).toEqual(wanted.map(([t]) => t));
  actual?.forEach(([, value], i) => {
    expect(value).toBeCloseTo(wanted[i]?.[1] ?? Number.NaN, 3);
  });
}

describe("tier choice", () => {
  test("the last hour comes from raw points, as recorded", async () => {
    const answer = await store.query(query(["a"], ["cpu.total_pct"], LAST_MS - HOUR, LAST_MS));
    expect(answer.stepMs).toBe(MINUTE);
    const points = answer.hosts.get("a")?.get("cpu.total_pct");
    const k0 = ROUNDS - 61;
    expect(points).toEqual(
      Array.from({ length: 61 }, (_, i) => [T0 + (k0 + i) * MINUTE, cpu(k0 + i)]),
    );
  });

  test("12 hours: raw is kept only 2 h, so the 5-minute tier, its open tail from raw", async () => {
    const fromMs = LAST_MS - 12 * HOUR;
    const answer = await store.query(query(["a"], ["cpu.total_pct"], fromMs, LAST_MS));
    // 12 h / 300 points asks for 144 s; 5 minutes is the finest step kept that long.
    expect(answer.stepMs).toBe(5 * MINUTE);
    const points = answer.hosts.get("a")?.get("cpu.total_pct");
    expectClose(points, expectedSteps(fromMs, LAST_MS, 5 * MINUTE, "avg"));
    // No hole at the end: the step holding the last round is there, though the 5-minute tier
    // has not rolled it up yet (it is still open): it came from raw points.
    const lastStepMs = Math.floor(LAST_MS / (5 * MINUTE)) * 5 * MINUTE;
    expect(points?.at(-1)?.[0]).toBe(lastStepMs);
    const tier = store.db
      .query<{ w: number }, []>("SELECT watermark_ms AS w FROM tiers WHERE step_ms = 300000")
      .get();
    expect(tier?.w).toBeLessThanOrEqual(lastStepMs);
  });

  test("3 days: the hourly tier; the open hour from the 5-minute tier and raw; no data, no step", async () => {
    const fromMs = T0;
    const answer = await store.query(query(["a"], ["cpu.total_pct"], fromMs, LAST_MS));
    expect(answer.stepMs).toBe(HOUR);
    const points = answer.hosts.get("a")?.get("cpu.total_pct");
    const wanted = expectedSteps(fromMs, LAST_MS, HOUR, "avg");
    expect(wanted).toHaveLength(72 - 3);
    expectClose(points, wanted);
    const hours = new Set(points?.map(([t]) => (t - T0) / HOUR));
    expect([49, 50, 51, 52, 53].map((h) => hours.has(h))).toEqual([
      true,
      false,
      false,
      false,
      true,
    ]);
    // The hourly tier itself stops before the last hour, which is still open.
    const tier = store.db
      .query<{ w: number }, []>("SELECT watermark_ms AS w FROM tiers WHERE step_ms = 3600000")
      .get();
    expect(tier?.w).toBeLessThanOrEqual(T0 + 71 * HOUR);
    expect(points?.at(-1)?.[0]).toBe(T0 + 71 * HOUR);
  });

  test("maxima instead of means", async () => {
    const answer = await store.query(query(["a"], ["cpu.total_pct"], T0, LAST_MS, null, "max"));
    expectClose(
      answer.hosts.get("a")?.get("cpu.total_pct"),
      expectedSteps(T0, LAST_MS, HOUR, "max"),
    );
  });

  test("a step finer than the tier that covers the range is raised to it", async () => {
    const fromMs = LAST_MS - 2 * DAY;
    const answer = await store.query(query(["a"], ["cpu.total_pct"], fromMs, LAST_MS, 5 * MINUTE));
    expect(answer.stepMs).toBe(HOUR);
  });

  test("a step between two of a tier's steps is rounded up to a multiple of it", async () => {
    const fromMs = LAST_MS - 6 * HOUR;
    const answer = await store.query(query(["a"], ["cpu.total_pct"], fromMs, LAST_MS, 7 * MINUTE));
    expect(answer.stepMs).toBe(10 * MINUTE);
    expectClose(
      answer.hosts.get("a")?.get("cpu.total_pct"),
      expectedSteps(fromMs, LAST_MS, 10 * MINUTE, "avg"),
    );
  });

  test("a range older than every tier keeps: the one kept longest", async () => {
    const fromMs = LAST_MS - 60 * DAY;
    const answer = await store.query(query(["a"], ["cpu.total_pct"], fromMs, LAST_MS));
    // 60 days / 300 points is 4.8 h: five of the hourly tier's steps.
    expect(answer.stepMs).toBe(5 * HOUR);
    expectClose(
      answer.hosts.get("a")?.get("cpu.total_pct"),
      expectedSteps(fromMs, LAST_MS, 5 * HOUR, "avg"),
    );
  });
});

describe("what a query returns", () => {
  test("a wildcard expands to the keys the host has in the range, sorted", async () => {
    const threeDays = await store.query(query(["a"], ["network[*].rx_bps"], T0, LAST_MS));
    expect([...(threeDays.hosts.get("a")?.keys() ?? [])]).toEqual([
      "network[eth0].rx_bps",
      "network[eth1].rx_bps",
    ]);
    const firstDay = await store.query(query(["a"], ["network[*].rx_bps"], T0, T0 + 20 * HOUR));
    expect([...(firstDay.hosts.get("a")?.keys() ?? [])]).toEqual(["network[eth0].rx_bps"]);
  });

  test("a huge range and a tiny step are clamped", async () => {
    const answer = await store.query(query(["a"], ["cpu.total_pct"], 0, LAST_MS, 1));
    expect(answer.fromMs).toBe(LAST_MS - MAX_RANGE_MS);
    expect(answer.stepMs % HOUR).toBe(0);
    expect(answer.stepMs).toBeGreaterThanOrEqual(MAX_RANGE_MS / MAX_POINTS);
    const points = answer.hosts.get("a")?.get("cpu.total_pct") ?? [];
    expect(points.length).toBeGreaterThan(0);
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    const raw = await store.query(query(["a"], ["cpu.total_pct"], LAST_MS - HOUR, LAST_MS, 1));
    expect(raw.stepMs).toBe(MINUTE);
  });

  test("an unknown host or metric answers empty, and the range is answered as asked", async () => {
    const answer = await store.query(
      query(["a", "nobody"], ["gpus[*].util_pct", "cpu.user_pct"], LAST_MS - HOUR, LAST_MS),
    );
    expect(answer.hosts.get("a")).toEqual(new Map());
    expect(answer.hosts.get("nobody")).toEqual(new Map());
    expect([answer.fromMs, answer.toMs]).toEqual([LAST_MS - HOUR, LAST_MS]);
  });

  test("series are bounded, wildcards included", async () => {
    const wide = openStore(join(tempDir(), "history.db"), TIERS);
    const values: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      values[`network[veth${String(i).padStart(3, "0")}].rx_bps`] = i;
      values[`network[veth${String(i).padStart(3, "0")}].tx_bps`] = i;
    }
    wide.writeRound([sample("a", T0, values)], [], [], T0);
    const answer = await wide.query(
      query(["a"], ["network[*].rx_bps", "network[*].tx_bps"], T0 - HOUR, T0),
    );
    const series = answer.hosts.get("a");
    expect(series?.size).toBe(MAX_SERIES);
    expect(series?.has("network[veth299].rx_bps")).toBe(true);
    expect(series?.has(`network[veth${String(MAX_SERIES - 301).padStart(3, "0")}].tx_bps`)).toBe(
      true,
    );
    expect(series?.has(`network[veth${String(MAX_SERIES - 300).padStart(3, "0")}].tx_bps`)).toBe(
      false,
    );
    wide.close();
  });
});
