// The value axis of a chart: ticks at round numbers in the unit a person reads ("0, 0.5, 1,
// 1.5, 2 GiB", "0, 250, 500 KiB/s", "0, 25, 50 %"), never at "1.86 GiB" or "244 KiB/s", and a top
// at the last tick. Platform-neutral: the web's charts draw these, a terminal graph could too.
import { bytes, celsius, pct, rate, SP } from "./units.ts";

/** What a chart's values are: sizes and rates in binary units, as units.ts writes them. */
export type AxisUnit = "bytes" | "rate" | "percent" | "celsius";

export interface Axis {
  /** The top of the axis: the last tick, at or above the highest value. */
  max: number;
  /** Tick values from 0 up to `max`, evenly spaced. */
  ticks: number[];
  /** Each tick as the axis prints it ("1.5 GiB"): the number as short as the step allows. */
  labels: string[];
}

const BINARY = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;
/** Round steps, times a power of ten, in the unit shown. */
const MULTIPLIERS = [1, 2, 2.5, 5] as const;
/** At most this many intervals between 0 and the top: five or six labels on a 180 px chart. */
export const MAX_INTERVALS = 5;
/** The top of an axis whose values are all 0 (an idle disk): a scale, not "0 B, 1 B, 1 B". */
const IDLE_TOP: Record<AxisUnit, number> = { bytes: 1024, rate: 1024, percent: 10, celsius: 10 };

/** The smallest round step that reaches `value` in at most MAX_INTERVALS steps. */
function roundStep(value: number, minStep: number): number {
  let exponent = Math.floor(Math.log10(value / MAX_INTERVALS));
  for (let tries = 0; tries < 4; tries++, exponent++) {
    for (const m of MULTIPLIERS) {
      const step = Math.max(minStep, m * 10 ** exponent);
      if (Math.ceil(value / step - 1e-9) <= MAX_INTERVALS) return step;
    }
  }
  return Math.max(minStep, value / MAX_INTERVALS);
}

/** Digits after the point a step needs: 0.25 → 2, 2.5 → 1, 50 → 0. */
function decimalsOf(step: number): number {
  for (let d = 0; d < 6; d++)
    if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) return d;
  return 6;
}

/** "1.5", "2", "0.25": the number to the step's precision, without trailing zeros. */
function number(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return decimals > 0 ? text.replace(/\.?0+$/, "") : text;
}

/** The binary unit the top is read in: the largest whose round top stays below 1024 of it. */
function binaryUnit(max: number): number {
  let unit = 0;
  while (unit < BINARY.length - 1 && max >= 1024 ** (unit + 1)) unit++;
  // 1000 KiB reads better as 1 MiB than as a top of 1250 KiB.
  const inUnit = max / 1024 ** unit;
  const step = roundStep(inUnit, unit === 0 ? 1 : 0);
  if (unit < BINARY.length - 1 && Math.ceil(inUnit / step - 1e-9) * step >= 1024) unit++;
  return unit;
}

/**
 * The axis for values up to `maxValue` (null or ≤ 0: nothing above 0). `fixedMax` pins the top
 * (CPU's 100 %) and only the ticks are chosen.
 */
export function axisTicks(maxValue: number | null, unit: AxisUnit, fixedMax?: number): Axis {
  const wanted = fixedMax ?? (maxValue != null && maxValue > 0 ? maxValue : IDLE_TOP[unit]);
  const binary = unit === "bytes" || unit === "rate";
  const unitIndex = binary ? binaryUnit(wanted) : 0;
  const scale = binary ? 1024 ** unitIndex : 1;
  // Whole bytes: no "0.5 B".
  const step = roundStep(wanted / scale, binary && unitIndex === 0 ? 1 : 0);
  const intervals = Math.max(1, Math.ceil(wanted / scale / step - 1e-9));
  const decimals = decimalsOf(step);
  const ticks: number[] = [];
  const labels: string[] = [];
  for (let i = 0; i <= intervals; i++) {
    const inUnit = i * step;
    ticks.push(inUnit * scale);
    labels.push(label(number(inUnit, decimals), unit, unitIndex));
  }
  return { max: fixedMax ?? ticks[ticks.length - 1] ?? wanted, ticks, labels };
}

function label(value: string, unit: AxisUnit, unitIndex: number): string {
  switch (unit) {
    case "percent":
      return `${value}%`;
    case "celsius":
      return `${value}°C`;
    case "bytes":
      return `${value}${SP}${BINARY[unitIndex]}`;
    case "rate":
      return `${value}${SP}${BINARY[unitIndex]}/s`;
  }
}

/** A single value (a legend, a tooltip) in the same unit, as units.ts writes it. */
export function formatValue(unit: AxisUnit): (value: number) => string {
  switch (unit) {
    case "percent":
      return pct;
    case "celsius":
      return celsius;
    case "bytes":
      return bytes;
    case "rate":
      return rate;
  }
}
