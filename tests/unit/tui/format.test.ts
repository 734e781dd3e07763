// Units as the dashboard prints them: binary sizes, rates per second, percent, °C, durations.
import { describe, expect, test } from "bun:test";
import {
  formatAgo,
  formatBytes,
  formatBytesShort,
  formatCelsius,
  formatDuration,
  formatDurationShort,
  formatMhz,
  formatPct,
  formatRate,
  formatSpan,
  formatUsedOfTotal,
  UNKNOWN,
} from "../../../src/tui/format.ts";

describe("sizes", () => {
  test("binary units with at most three significant digits", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1000)).toBe("0.98 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(152 * 1024 ** 2)).toBe("152 MiB");
    expect(formatBytes(32 * 1024 ** 3)).toBe("32 GiB");
    expect(formatBytes(3.5 * 1024 ** 4)).toBe("3.5 TiB");
  });

  test("short form for narrow cells, rates per second", () => {
    expect(formatBytesShort(2.5 * 1024 ** 2)).toBe("2.5M");
    expect(formatBytesShort(800)).toBe("800B");
    expect(formatRate(640 * 1024)).toBe("640 KiB/s");
    expect(formatRate(null)).toBe(UNKNOWN);
  });

  test("used of total shares the total's unit", () => {
    expect(formatUsedOfTotal(12.5 * 1024 ** 3, 32 * 1024 ** 3)).toBe("13/32 GiB");
    expect(formatUsedOfTotal(256 * 1024 ** 2, 4 * 1024 ** 3)).toBe("0.25/4.0 GiB");
    expect(formatUsedOfTotal(null, 5)).toBe(UNKNOWN);
  });
});

describe("other units", () => {
  test("percent, temperature, frequency", () => {
    expect(formatPct(47.46)).toBe("47%");
    expect(formatPct(47.46, 1)).toBe("47.5%");
    expect(formatPct(Number.NaN)).toBe(UNKNOWN);
    expect(formatCelsius(70.6)).toBe("71°C");
    expect(formatCelsius(null)).toBe(UNKNOWN);
    expect(formatMhz(3400)).toBe("3.40 GHz");
    expect(formatMhz(800)).toBe("800 MHz");
  });

  test("durations keep the two largest units", () => {
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 59)).toBe("3d 4h");
    expect(formatDuration(4 * 3600 + 12 * 60)).toBe("4h 12m");
    expect(formatDuration(75)).toBe("1m 15s");
    expect(formatDuration(9)).toBe("9s");
    expect(formatDuration(-1)).toBe(UNKNOWN);
    expect(formatDurationShort(7200)).toBe("2h");
  });

  test("ago is measured from now", () => {
    expect(formatAgo(1000, 181_000)).toBe("3m ago");
    expect(formatAgo(null, 5)).toBe("never");
    expect(formatAgo(10_000, 5_000)).toBe("0s ago");
  });

  test("a graph's span: seconds, whole minutes, minutes and seconds, whole hours", () => {
    expect(formatSpan(78_000)).toBe("78 s");
    expect(formatSpan(120_000)).toBe("2 min");
    expect(formatSpan(158_000)).toBe("2m 38s");
    expect(formatSpan(3_600_000)).toBe("1 h");
    expect(formatSpan(5_400_000)).toBe("90 min");
  });
});
