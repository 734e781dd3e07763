// The time a host's charts span: an online host's own window, an away host's up to now.
import { describe, expect, test } from "bun:test";
import { chartWindow } from "../../../src/client/chart-window.ts";

const NOW = 1_700_000_000_000;
const MIN = 60_000;
const base = {
  timesMs: [NOW - 10 * MIN, NOW - 5 * MIN],
  nowMs: NOW,
  spanMs: 15 * MIN,
  zoomed: false,
};

describe("chartWindow", () => {
  test("online or stale: the window stays as the range made it (null: the data's extent)", () => {
    expect(chartWindow({ ...base, window: null, status: "online" })).toBeNull();
    const w = { fromMs: NOW - 60 * MIN, toMs: NOW - 5 * MIN };
    expect(chartWindow({ ...base, window: w, status: "stale" })).toEqual(w);
  });

  test("offline, live: from the first point to now, so the gap since the last one shows", () => {
    expect(chartWindow({ ...base, window: null, status: "offline" })).toEqual({
      fromMs: NOW - 10 * MIN,
      toMs: NOW,
    });
  });

  test("offline for longer than the live span: the span up to now (all of it a gap)", () => {
    const w = chartWindow({ ...base, timesMs: [NOW - 90 * MIN], window: null, status: "offline" });
    expect(w).toEqual({ fromMs: NOW - 15 * MIN, toMs: NOW });
  });

  test("a history range slides to now, keeping its length", () => {
    const w = { fromMs: NOW - 65 * MIN, toMs: NOW - 5 * MIN };
    expect(chartWindow({ ...base, window: w, status: "unauthorized" })).toEqual({
      fromMs: NOW - 60 * MIN,
      toMs: NOW,
    });
  });

  test("a zoom stays put; no data at all: no window", () => {
    const w = { fromMs: NOW - 9 * MIN, toMs: NOW - 8 * MIN };
    expect(chartWindow({ ...base, window: w, status: "offline", zoomed: true })).toEqual(w);
    expect(chartWindow({ ...base, timesMs: [], window: null, status: "offline" })).toBeNull();
  });
});
