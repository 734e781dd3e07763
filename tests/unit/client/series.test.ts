// A graph's series: recorded history put in front of live points without a duplicate or a gap,
// recorded steps held for their length on the live scale, time-weighted columns on the hour
// scale, holes left blank, and memory bounded over a long run.
import { describe, expect, test } from "bun:test";
import { Series, type SeriesLimits } from "../../../src/client/series.ts";

const LIVE_ONLY: SeriesLimits = { finePoints: 300, foldMs: 0, keepMs: 0 };
const HOUR: SeriesLimits = { finePoints: 300, foldMs: 10_000, keepMs: 3_660_000 };
const T0 = 1_763_790_000_000;

/** Live points every `intervalMs` from `fromMs`, with the given values. */
function live(series: Series, fromMs: number, intervalMs: number, values: number[]): void {
  for (const [i, value] of values.entries())
    series.append(fromMs + i * intervalMs, value, intervalMs);
}

describe("recorded history in front of live points", () => {
  test("recorded steps that live points cover are dropped; the last one runs up to them", () => {
    const s = new Series(HOUR);
    live(s, T0 + 40_000, 1000, [50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
    // 15 s steps from T0: the third (T0+30 s) runs into the live points, the fourth is covered.
    s.seed(
      [
        [T0, 10],
        [T0 + 15_000, 20],
        [T0 + 30_000, 30],
        [T0 + 45_000, 40],
      ],
      15_000,
    );
    const recorded = s.all.filter((p) => p.kind === "recorded");
    expect(recorded.map((p) => [p.tsMs - T0, p.endMs - T0, p.value])).toEqual([
      [0, 15_000, 10],
      [15_000, 30_000, 20],
      [30_000, 40_000, 30],
    ]);
    // Time-sorted and never overlapping: nothing counted twice.
    for (let i = 1; i < s.all.length; i++) {
      expect(s.all[i]?.tsMs).toBeGreaterThanOrEqual(s.all[i - 1]?.endMs ?? 0);
    }
  });

  test("a recorded point at a live point's time (the same sample) is not added twice", () => {
    const s = new Series(HOUR);
    live(s, T0, 10_000, [5, 6]);
    s.seed(
      [
        [T0 - 10_000, 4],
        [T0, 5],
        [T0 + 10_000, 6],
      ],
      10_000,
    );
    expect(s.all.map((p) => [p.tsMs - T0, p.kind])).toEqual([
      [-10_000, "recorded"],
      [0, "live"],
      [10_000, "live"],
    ]);
  });

  test("history that arrives before any live point is cut back by the first one", () => {
    const s = new Series(HOUR);
    s.seed(
      [
        [T0, 10],
        [T0 + 15_000, 20],
      ],
      15_000,
    );
    s.append(T0 + 20_000, 99, 1000);
    expect(s.all.map((p) => [p.tsMs - T0, p.endMs - T0, p.kind])).toEqual([
      [0, 15_000, "recorded"],
      [15_000, 20_000, "recorded"],
      [20_000, 21_000, "live"],
    ]);
    // A recorded point newer than a live one (read later than it arrived) gives way.
    s.seed([[T0 + 25_000, 1]], 15_000);
    s.append(T0 + 21_000, 98, 1000);
    expect(s.all.filter((p) => p.tsMs >= T0 + 21_000).map((p) => p.kind)).toEqual(["live"]);
  });

  test("seeding again replaces what the previous answer put in", () => {
    const s = new Series(HOUR);
    live(s, T0 + 60_000, 1000, [1]);
    s.seed([[T0, 10]], 15_000);
    s.seed([[T0 + 15_000, 20]], 15_000);
    expect(s.all.filter((p) => p.kind === "recorded").map((p) => p.value)).toEqual([20]);
  });
});

describe("the live scale: one column per interval", () => {
  test("live values one per column, recorded steps held for their length before them", () => {
    const s = new Series(HOUR);
    s.seed(
      [
        [T0, 10],
        [T0 + 5000, 20],
      ],
      5000,
    );
    live(s, T0 + 10_000, 1000, [70, 80, 90]);
    expect(s.perInterval(13, 1000)).toEqual([10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 70, 80, 90]);
    // Asked for more than there is: only what the data covers (the sparkline pads the rest).
    expect(s.perInterval(40, 1000)).toHaveLength(13);
    expect(s.perInterval(2, 1000)).toEqual([80, 90]);
  });

  test("a hole in the data stays blank, to scale", () => {
    const s = new Series(LIVE_ONLY);
    live(s, T0, 1000, [1, 2]);
    live(s, T0 + 5000, 1000, [3, 4]);
    expect(s.perInterval(6, 1000)).toEqual([1, 2, null, null, null, 3, 4].slice(-6));
    expect(s.perInterval(7, 1000)).toEqual([1, 2, null, null, null, 3, 4]);
  });

  test("a value the node did not have (null) is a blank column, not a zero", () => {
    const s = new Series(LIVE_ONLY);
    s.append(T0, null, 1000);
    s.append(T0 + 1000, 5, 1000);
    expect(s.perInterval(2, 1000)).toEqual([null, 5]);
  });
});

describe("the recorded scale: columns of time", () => {
  test("each column is the time-weighted mean of what covers it", () => {
    const s = new Series(HOUR);
    s.seed(
      [
        [T0, 10],
        [T0 + 30_000, 40],
      ],
      30_000,
    );
    live(s, T0 + 60_000, 1000, [100]);
    // Columns of 20 s ending with the one that holds T0+60 s: [T0-20,T0) [T0,T0+20) ... [T0+60,T0+80)
    const columns = s.perColumn(5, 20_000, T0 + 60_000);
    expect(columns).toEqual([null, 10, (10 * 10 + 40 * 10) / 20, 40, 100]);
  });

  test("columns start at multiples of their width, so old columns keep their value", () => {
    const s = new Series(HOUR);
    live(
      s,
      T0,
      1000,
      Array.from({ length: 120 }, (_, i) => i % 7),
    );
    const before = s.perColumn(4, 30_000, T0 + 119_000);
    s.append(T0 + 120_000, 50, 1000);
    const after = s.perColumn(4, 30_000, T0 + 120_000);
    // The column grid is fixed by the clock: the new point only starts a new column.
    expect(after.slice(0, 3)).toEqual(before.slice(1, 4));
    expect(after[3]).toBe(50);
  });
});

describe("memory over a long run", () => {
  test("live only: the newest points are kept, the oldest dropped", () => {
    const s = new Series({ finePoints: 10, foldMs: 0, keepMs: 0 });
    live(
      s,
      T0,
      1000,
      Array.from({ length: 25 }, (_, i) => i),
    );
    expect(s.all).toHaveLength(10);
    expect(s.perInterval(10, 1000)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  });

  test("with history: an hour of 1 s points folds into 10 s spans, the mean kept", () => {
    const s = new Series(HOUR);
    const values = Array.from({ length: 3600 }, (_, i) => (i % 10) * 10);
    live(s, T0, 1000, values);
    expect(s.all.length).toBeLessThan(300 + 60 + 3600 / 10 + 10);
    const folded = s.all.filter((p) => p.kind === "folded");
    expect(folded.length).toBeGreaterThan(300);
    // Each 10 s span holds 0..90: its mean is 45.
    for (const p of folded) {
      expect(p.endMs - p.tsMs).toBe(10_000);
      expect(p.value).toBe(45);
    }
    // The hour graph is the same whether points were folded or not.
    const hour = s.perColumn(60, 60_000, T0 + 3_599_000);
    for (const v of hour.slice(0, 59)) expect(v).toBe(45);
    // Past the window, everything goes.
    live(s, T0 + 3 * 3_600_000, 1000, [1]);
    expect(s.all.every((p) => p.endMs >= T0 + 3 * 3_600_000 - HOUR.keepMs)).toBe(true);
  });
});
