// Alert rule conditions and silence windows as written in [[alerts]]: what they accept, and the
// message for what they do not.
import { describe, expect, test } from "bun:test";
import { describeCondition, holds, parseCondition } from "../../../src/alerts/condition.ts";
import { inSilence, parseSilence } from "../../../src/alerts/silence.ts";

describe("conditions", () => {
  test.each([
    ["cpu.total_pct > 90", "cpu.total_pct > 90"],
    ["  disks[*].used_pct>=90.5 ", "disks[*].used_pct >= 90.5"],
    ["sensors.max_celsius > 80", "sensors.max_celsius > 80"],
    ["memory.swap_used_pct != 0", "memory.swap_used_pct != 0"],
    ["uptime_s < 600", "uptime_s < 600"],
    ["host   offline", "host offline"],
    ["reboot", "reboot"],
  ])("%p", (text, canonical) => {
    const condition = parseCondition(text);
    if ("error" in condition) throw new Error(condition.error);
    expect(describeCondition(condition)).toBe(canonical);
  });

  test.each([
    ["cpu > 90", 'unknown metric "cpu"'],
    ["cpu.total_pct", 'expected a condition such as "cpu.total_pct > 90"'],
    ["cpu.total_pct > ninety", "expected a condition"],
    ["disks.used_pct > 90", "needs a key"],
    ["host down", "expected a condition"],
  ])("%p is refused", (text, words) => {
    const condition = parseCondition(text);
    expect("error" in condition ? condition.error : "").toContain(words);
  });

  test("operators compare as written", () => {
    expect(holds(">", 91, 90)).toBe(true);
    expect(holds(">", 90, 90)).toBe(false);
    expect(holds(">=", 90, 90)).toBe(true);
    expect(holds("<", 1, 2)).toBe(true);
    expect(holds("<=", 2, 2)).toBe(true);
    expect(holds("==", 2, 2)).toBe(true);
    expect(holds("!=", 2, 2)).toBe(false);
  });
});

/** A local time on a known weekday: 2026-11-30 is a Monday. */
const at = (day: number, hh: number, mm = 0) => new Date(2026, 10, 30 + day, hh, mm);

describe("silence windows", () => {
  test("a daily window", () => {
    const w = parseSilence("02:00-04:00");
    if ("error" in w) throw new Error(w.error);
    expect(inSilence(w, at(0, 1, 59))).toBe(false);
    expect(inSilence(w, at(0, 2, 0))).toBe(true);
    expect(inSilence(w, at(3, 3, 59))).toBe(true);
    expect(inSilence(w, at(0, 4, 0))).toBe(false);
  });

  test("past midnight belongs to the day it starts on", () => {
    const w = parseSilence("Fri 22:00-06:00");
    if ("error" in w) throw new Error(w.error);
    expect(inSilence(w, at(4, 23))).toBe(true); // Friday night
    expect(inSilence(w, at(5, 5, 59))).toBe(true); // Saturday morning
    expect(inSilence(w, at(5, 23))).toBe(false); // Saturday night
    expect(inSilence(w, at(4, 5))).toBe(false); // Friday morning: Thursday did not start one
  });

  test("day lists and ranges, the weekend whole", () => {
    const w = parseSilence("Sat-Sun 00:00-24:00");
    if ("error" in w) throw new Error(w.error);
    expect(inSilence(w, at(5, 12))).toBe(true);
    expect(inSilence(w, at(6, 23, 59))).toBe(true);
    expect(inSilence(w, at(0, 0, 0))).toBe(false);
    const some = parseSilence("Mon,Thu 12:00-13:00");
    if ("error" in some) throw new Error(some.error);
    expect(inSilence(some, at(0, 12, 30))).toBe(true);
    expect(inSilence(some, at(1, 12, 30))).toBe(false);
    expect(inSilence(some, at(3, 12, 30))).toBe(true);
  });

  test.each(["2-4", "25:00-26:00", "02:60-03:00", "Someday 02:00-03:00", "02:00-24:01", ""])(
    "%p is refused with the expected form",
    (text) => {
      const w = parseSilence(text);
      expect("error" in w ? w.error : "").toContain('expected a daily window "HH:MM-HH:MM"');
    },
  );
});
