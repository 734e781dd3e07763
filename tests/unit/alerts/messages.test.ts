// What alerts say to people: values in their family's unit, durations and clock times in words,
// and host patterns matching only what they should.
import { describe, expect, test } from "bun:test";
import { hostMatcher } from "../../../src/alerts/hosts.ts";
import { offlineMessage, rebootMessage } from "../../../src/alerts/message.ts";
import {
  formatClock,
  formatDuration,
  formatThreshold,
  formatValue,
} from "../../../src/alerts/units.ts";

describe("values with units", () => {
  test.each([
    ["pct", 93.24, "93.2 %"],
    ["celsius", 81, "81.0 °C"],
    ["bytes", 512, "512 B"],
    ["bytes", 1536, "1.50 KiB"],
    ["bytes", 17.2 * 1024 ** 3, "17.2 GiB"],
    ["bytes", 2.5 * 1024 ** 4, "2.50 TiB"],
    ["bps", 12.3 * 1024 ** 2, "12.3 MiB/s"],
    ["bps", 150 * 1024, "150 KiB/s"],
    ["mhz", 3400.4, "3400 MHz"],
    ["watts", 215.26, "215.3 W"],
    ["seconds", 3 * 86_400 + 4 * 3600 + 5, "3 d 4 h"],
    ["load", 4.254, "4.25"],
  ] as const)("%s %p → %p", (unit, value, text) => {
    expect(formatValue(unit, value)).toBe(text);
  });

  test("thresholds stay as written unless the raw number is unreadable", () => {
    expect(formatThreshold("pct", 90)).toBe("90");
    expect(formatThreshold("celsius", 80.5)).toBe("80.5");
    expect(formatThreshold("bytes", 16 * 1024 ** 3)).toBe("16.0 GiB");
    expect(formatThreshold("bps", 100 * 1024 ** 2)).toBe("100 MiB/s");
    expect(formatThreshold("seconds", 600)).toBe("10 min");
  });
});

describe("durations and times", () => {
  test.each([
    [0, "0 s"],
    [45_900, "45 s"],
    [5 * 60_000 + 59_000, "5 min"],
    [3600_000, "1 h"],
    [3600_000 + 5 * 60_000, "1 h 5 min"],
    [2 * 86_400_000 + 3 * 3600_000, "2 d 3 h"],
    [-5, "0 s"],
  ])("%p ms → %p", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test("a clock time today, with the date when older than a day", () => {
    const at = new Date(2026, 10, 30, 14, 2).getTime();
    expect(formatClock(at, at + 3600_000)).toBe("14:02");
    expect(formatClock(at, at + 2 * 86_400_000)).toBe("2026-11-30 14:02");
  });

  test("offline and reboot messages", () => {
    const at = new Date(2026, 10, 30, 14, 2).getTime();
    expect(offlineMessage("nas", "offline", null, at, at)).toBe("nas is offline (since 14:02)");
    expect(rebootMessage("db", null)).toBe("db rebooted");
    expect(rebootMessage("db", 3 * 3600_000)).toBe("db rebooted (up 3 h)");
  });
});

describe("host patterns", () => {
  test.each([
    [["*"], "anything", true],
    [["nas"], "nas", true],
    [["nas"], "nas2", false],
    [["pve-*"], "pve-web", true],
    [["pve-*"], "pve-", true],
    [["pve-*"], "xpve-web", false],
    [["*-db"], "pve-db", true],
    [["pve*db"], "pve-web-db", true],
    [["a.b"], "aXb", false],
    [["a.b*"], "a.b.c", true],
    [["(x)|y*"], "(x)|yz", true],
    [["(x)|y*"], "y", false],
    [[], "nas", false],
  ])("%p matches %p: %p", (patterns, id, expected) => {
    expect(hostMatcher(patterns)(id)).toBe(expected);
  });
});
