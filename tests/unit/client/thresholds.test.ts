// The thresholds both dashboards colour and label by: one table, a sensor's own limits first.
import { expect, test } from "bun:test";
import {
  LIMITS,
  level,
  temperatureLevel,
  temperatureLimit,
} from "../../../src/client/thresholds.ts";

test("a value is ok below warn, warn from it, bad from bad; unknown is ok", () => {
  expect(level(79.9, LIMITS.diskPct)).toBe("ok");
  expect(level(80, LIMITS.diskPct)).toBe("warn");
  expect(level(90, LIMITS.diskPct)).toBe("bad");
  expect(level(null, LIMITS.diskPct)).toBe("ok");
  expect(level(Number.NaN, LIMITS.cpuPct)).toBe("ok");
});

test("a sensor is judged by its own high and critical marks where it reports them", () => {
  expect(temperatureLimit({ celsius: 50, max_celsius: 80, crit_celsius: 100 })).toEqual({
    warn: 80,
    bad: 100,
  });
  expect(temperatureLimit({ celsius: 50 })).toEqual(LIMITS.celsius);
  // A high mark above the critical one is no mark: warm no later than critical.
  expect(temperatureLimit({ celsius: 50, max_celsius: 120, crit_celsius: 100 }).warn).toBe(100);
  expect(temperatureLevel({ celsius: 90, max_celsius: 80, crit_celsius: 100 })).toBe("warn");
  expect(temperatureLevel({ celsius: 86 })).toBe("bad");
  expect(temperatureLevel(null)).toBe("ok");
});
