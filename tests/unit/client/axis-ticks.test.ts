// A chart's value axis: ticks at round numbers of the unit shown, a top at the last tick, a scale
// for an all-zero chart, and the same ticks again when asked for the top it chose.
import { describe, expect, test } from "bun:test";
import { type AxisUnit, axisTicks, MAX_INTERVALS } from "../../../src/client/axis-ticks.ts";
import { SP } from "../../../src/client/units.ts";

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const text = (labels: string[]) => labels.map((l) => l.replaceAll(SP, " "));

/** The numbers of the labels go up by a round step: 1, 2, 2.5 or 5 times a power of ten. */
function roundSteps(labels: string[]): boolean {
  const numbers = labels.map((l) => Number(/^[\d.]+/.exec(l)?.[0]));
  const step = (numbers[1] ?? 0) - (numbers[0] ?? 0);
  const power = 10 ** Math.floor(Math.log10(step));
  const mantissa = step / power;
  return (
    [1, 2, 2.5, 5].some((m) => Math.abs(mantissa - m) < 1e-9) &&
    numbers.every((n, i) => Math.abs(n - i * step) < step * 1e-6)
  );
}

describe("axisTicks", () => {
  test("1.86 GiB is never a tick: the axis reads 0 to 2 GiB in halves", () => {
    const axis = axisTicks(1.86 * GiB, "bytes");
    expect(text(axis.labels)).toEqual(["0 GiB", "0.5 GiB", "1 GiB", "1.5 GiB", "2 GiB"]);
    expect(axis.max).toBe(2 * GiB);
    expect(axis.ticks).toEqual([0, 0.5 * GiB, GiB, 1.5 * GiB, 2 * GiB]);
  });

  test("244 KiB/s reads up to 250 KiB/s in steps of 50", () => {
    const axis = axisTicks(244 * KiB, "rate");
    expect(text(axis.labels)).toEqual([
      "0 KiB/s",
      "50 KiB/s",
      "100 KiB/s",
      "150 KiB/s",
      "200 KiB/s",
      "250 KiB/s",
    ]);
    expect(axis.max).toBe(250 * KiB);
  });

  test("a top that would pass 1024 of a unit is read in the next one", () => {
    expect(text(axisTicks(1020 * KiB, "rate").labels)).toEqual([
      "0 MiB/s",
      "0.2 MiB/s",
      "0.4 MiB/s",
      "0.6 MiB/s",
      "0.8 MiB/s",
      "1 MiB/s",
    ]);
    expect(text(axisTicks(3.4 * GiB, "bytes").labels)).toEqual([
      "0 GiB",
      "1 GiB",
      "2 GiB",
      "3 GiB",
      "4 GiB",
    ]);
  });

  test("bytes are whole: a few bytes per second tick at 0, 1, 2, 3 B/s", () => {
    expect(text(axisTicks(2.6, "rate").labels)).toEqual(["0 B/s", "1 B/s", "2 B/s", "3 B/s"]);
  });

  test("an all-zero chart gets a scale up to 1 KiB/s, not '0 B, 1 B, 1 B'", () => {
    for (const max of [0, null]) {
      const axis = axisTicks(max, "rate");
      expect(axis.max).toBe(KiB);
      expect(text(axis.labels)).toEqual([
        "0 KiB/s",
        "0.2 KiB/s",
        "0.4 KiB/s",
        "0.6 KiB/s",
        "0.8 KiB/s",
        "1 KiB/s",
      ]);
      expect(new Set(axis.labels).size).toBe(axis.labels.length);
    }
  });

  test("CPU keeps its fixed 100 % and ticks every 20; temperatures by tens", () => {
    const cpu = axisTicks(37, "percent", 100);
    expect(cpu.max).toBe(100);
    expect(cpu.labels).toEqual(["0%", "20%", "40%", "60%", "80%", "100%"]);
    expect(axisTicks(62.5, "celsius").labels).toEqual(["0°C", "20°C", "40°C", "60°C", "80°C"]);
  });

  test("for any value: at most five intervals, round labels, top above the value, and stable", () => {
    const units: AxisUnit[] = ["bytes", "rate", "percent", "celsius"];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) {
      const unit = units[i % units.length] ?? "bytes";
      const value = random() * 10 ** (random() * (unit === "bytes" || unit === "rate" ? 13 : 3));
      const axis = axisTicks(value, unit);
      expect(axis.max).toBeGreaterThanOrEqual(value);
      expect(axis.ticks.length - 1).toBeLessThanOrEqual(MAX_INTERVALS);
      expect(axis.ticks.length).toBe(axis.labels.length);
      expect(new Set(axis.labels).size).toBe(axis.labels.length);
      expect(roundSteps(axis.labels)).toBe(true);
      // uPlot asks again for the top it was given: the same ticks come back.
      expect(axisTicks(axis.max, unit).ticks).toEqual(axis.ticks);
    }
  });

  test("a top of 150 MiB: 0, 50, 100, 150 MiB", () => {
    expect(text(axisTicks(131 * MiB, "bytes").labels)).toEqual([
      "0 MiB",
      "50 MiB",
      "100 MiB",
      "150 MiB",
    ]);
  });
});
