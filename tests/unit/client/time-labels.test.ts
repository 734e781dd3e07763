// Axis times: seconds for short spans, hours within a day, the date once a chart spans days.
import { describe, expect, test } from "bun:test";
import { pointLabel, tickLabel } from "../../../src/client/time-labels.ts";

const DAY = 86_400_000;
// Local time, so the test holds in any time zone.
const at = new Date(2025, 11, 2, 14, 0, 5).getTime();

describe("time labels", () => {
  test("the span decides: seconds, minutes, day and time, day", () => {
    expect(tickLabel(at, 10_000, 15 * 60_000)).toBe("14:00:05");
    expect(tickLabel(at, 3_600_000, DAY)).toBe("14:00");
    expect(tickLabel(at, 6 * 3_600_000, 7 * DAY)).toBe("Dec 2 14:00");
    expect(tickLabel(at, DAY, 30 * DAY)).toBe("Dec 2");
  });

  test("a point in a legend always has its day", () => {
    expect(pointLabel(at, 15 * 60_000)).toBe("Dec 2 14:00:05");
    expect(pointLabel(at, 7 * DAY)).toBe("Dec 2 14:00");
  });
});
