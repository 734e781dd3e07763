// The one choice of units both dashboards draw: binary sizes with three significant digits, every
// rate in bytes per second, percent, temperatures, durations, and "—" for what is unknown.
import { describe, expect, test } from "bun:test";
import * as u from "../../../src/client/units.ts";

/** The no-break space between a number and its unit, written as a space for reading. */
const text = (s: string) => s.replaceAll(u.SP, " ");

describe("sizes", () => {
  test("binary units with three significant digits, the same in both dashboards", () => {
    expect(text(u.bytes(0))).toBe("0 B");
    expect(text(u.bytes(1023))).toBe("1023 B");
    expect(text(u.bytes(1536))).toBe("1.50 KiB");
    expect(text(u.bytes(152 * 1024 ** 2))).toBe("152 MiB");
    // The disagreement that started it: 23.5 GiB on one screen, 24 GiB on the other.
    expect(text(u.bytes(23.5 * 1024 ** 3))).toBe("23.5 GiB");
    expect(text(u.bytes(1.86 * 1024 ** 3))).toBe("1.86 GiB");
    expect(text(u.bytes(3.5 * 1024 ** 4))).toBe("3.50 TiB");
    expect(u.bytes(null)).toBe(u.NONE);
    expect(u.bytes(Number.NaN)).toBe(u.NONE);
  });

  test("a number and its unit never part: they are joined by a no-break space", () => {
    expect(u.bytes(2048)).toBe(`2.00${u.SP}KiB`);
    expect(u.bytes(2048)).not.toContain(" ");
  });

  test("short form for narrow cells: the same digits, the unit as a letter", () => {
    expect(u.bytesShort(2.5 * 1024 ** 2)).toBe("2.50M");
    expect(u.bytesShort(800)).toBe("800B");
    expect(u.bytesShort(23.5 * 1024 ** 3)).toBe("23.5G");
  });

  test("every rate is bytes per second, network and disk alike", () => {
    expect(text(u.rate(640 * 1024))).toBe("640 KiB/s");
    expect(text(u.rate(125_000_000))).toBe("119 MiB/s");
    expect(u.rate(null)).toBe(u.NONE);
  });

  test("used of total shares the total's unit", () => {
    expect(text(u.usedOfTotal(12.5 * 1024 ** 3, 32 * 1024 ** 3))).toBe("12.5/32.0 GiB");
    expect(text(u.usedOfTotal(256 * 1024 ** 2, 4 * 1024 ** 3))).toBe("0.25/4.00 GiB");
    expect(u.usedOfTotal(null, 5)).toBe(u.NONE);
  });
});

describe("other units", () => {
  test("percent: one decimal below 10, whole from there", () => {
    expect(u.pct(47.46)).toBe("47%");
    expect(u.pct(9.46)).toBe("9.5%");
    expect(u.pct(9.996)).toBe("10%");
    expect(u.pct(9.94)).toBe("9.9%");
    expect(u.pct(100)).toBe("100%");
    expect(u.pct(Number.NaN)).toBe(u.NONE);
  });

  test("a disk's use as df prints it: whole percent, rounded up", () => {
    expect(u.diskPct(30.31)).toBe("31%");
    expect(u.diskPct(0.2)).toBe("1%");
    expect(u.diskPct(90)).toBe("90%");
    expect(u.diskPct(null)).toBe(u.NONE);
  });

  test("temperature, frequency, power", () => {
    expect(u.celsius(70.6)).toBe("71°C");
    expect(u.celsius(null)).toBe(u.NONE);
    expect(text(u.mhz(3400))).toBe("3.40 GHz");
    expect(text(u.mhz(800))).toBe("800 MHz");
    expect(text(u.watts(120.4))).toBe("120 W");
  });

  test("a load average has no unit and three significant digits", () => {
    expect(u.loadAvg(0.4213)).toBe("0.42");
    expect(u.loadAvg(3.168)).toBe("3.17");
    expect(u.loadAvg(12.54)).toBe("12.5");
    expect(u.loadAvg(128.2)).toBe("128");
    expect(u.loadAvg(null)).toBe(u.NONE);
  });

  test("durations keep the two largest units", () => {
    expect(text(u.duration(3 * 86_400 + 4 * 3600 + 59))).toBe("3d 4h");
    expect(text(u.duration(4 * 3600 + 12 * 60))).toBe("4h 12m");
    expect(text(u.duration(75))).toBe("1m 15s");
    expect(u.duration(9)).toBe("9s");
    expect(u.duration(-1)).toBe(u.NONE);
    expect(u.durationShort(7200)).toBe("2h");
  });

  test("ago is measured from now, on the clock of the time given", () => {
    expect(text(u.ago(1000, 181_000))).toBe("3m ago");
    expect(u.ago(null, 5)).toBe("never");
    expect(text(u.ago(10_000, 5_000))).toBe("0s ago");
  });

  test("a graph's span: whole hours, whole minutes, else minutes and seconds", () => {
    expect(u.span(45_000)).toBe("45s");
    expect(u.span(120_000)).toBe("2m");
    expect(text(u.span(158_000))).toBe("2m 38s");
    expect(u.span(3_600_000)).toBe("1h");
    expect(u.span(5_400_000)).toBe("90m");
  });
});
