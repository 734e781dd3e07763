// The charts' ranges and the step each is read at: round steps, about 300 points, raw for Live.
import { describe, expect, test } from "bun:test";
import {
  chooseStepMs,
  DEFAULT_RANGE,
  parseRange,
  RANGES,
  rangeStepMs,
} from "../../../src/client/ranges.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("ranges", () => {
  test("each range is read at a round step that keeps it within about 300 points", () => {
    expect(rangeStepMs("1h", 1000)).toBe(15_000);
    expect(rangeStepMs("24h", 1000)).toBe(5 * MIN);
    expect(rangeStepMs("7d", 1000)).toBe(HOUR);
    expect(rangeStepMs("30d", 1000)).toBe(3 * HOUR);
    for (const range of RANGES.filter((r) => r.key !== "live")) {
      const points = range.spanMs / rangeStepMs(range.key, 1000);
      expect(points).toBeGreaterThan(100);
      expect(points).toBeLessThanOrEqual(300);
    }
  });

  test("Live asks for the live interval: the receiver answers at what it recorded", () => {
    expect(rangeStepMs("live", 500)).toBe(500);
    expect(rangeStepMs("live", 0)).toBe(1);
  });

  test("a zoomed window gets a finer step; tiny and huge spans stay sane", () => {
    expect(chooseStepMs(10 * MIN)).toBe(2000);
    expect(chooseStepMs(90 * 1000)).toBe(1000);
    expect(chooseStepMs(0)).toBe(1000);
    expect(chooseStepMs(400 * 24 * HOUR)).toBe(2 * 24 * HOUR);
    expect(chooseStepMs(HOUR, 60)).toBe(MIN);
  });

  test("a range from the URL: known keys, anything else is Live", () => {
    expect(parseRange("24h")).toBe("24h");
    expect(parseRange("30d")).toBe("30d");
    expect(parseRange("2w")).toBe(DEFAULT_RANGE);
    expect(parseRange(null)).toBe("live");
  });
});
