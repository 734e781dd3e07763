// Values, durations and clock times as alert messages show them: each metric with its family's
// unit ("93.2 %", "81.0 °C", "17.2 GiB", "12.3 MiB/s"), durations in words ("1 h 5 min").
import type { MetricUnit } from "../history/metrics.ts";

const BINARY = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/** Three significant digits: "152", "17.2", "1.25". */
function sig3(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** Bytes in binary units (1 KiB = 1024 B). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BINARY.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${sig3(value)} ${BINARY[unit]}`;
}

/** "45 s", "5 min", "1 h 5 min", "2 d 3 h": the two largest units, rounded down. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/** A metric's value with its family's unit. */
export function formatValue(unit: MetricUnit, value: number): string {
  switch (unit) {
    case "pct":
      return `${value.toFixed(1)} %`;
    case "celsius":
      return `${value.toFixed(1)} °C`;
    case "bytes":
      return formatBytes(value);
    case "bps":
      return `${formatBytes(value)}/s`;
    case "mhz":
      return `${value.toFixed(0)} MHz`;
    case "watts":
      return `${value.toFixed(1)} W`;
    case "seconds":
      return formatDuration(value * 1000);
    case "load":
      return value.toFixed(2);
    case "ok":
      return value >= 1 ? "1 (ok)" : "0 (failing)";
    case "count":
      return value.toFixed(0);
  }
}

/**
 * The threshold as the rule's comparison shows it: as written where the value beside it already
 * names the unit ("93.2 % (> 90)"), in readable units where the raw number would not be
 * (a byte count, a byte rate or seconds).
 */
export function formatThreshold(unit: MetricUnit, threshold: number): string {
  return unit === "bytes" || unit === "bps" || unit === "seconds"
    ? formatValue(unit, threshold)
    : String(threshold);
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Local wall-clock time "14:02", with the date when it is not within the last day. */
export function formatClock(ms: number, nowMs: number): string {
  const date = new Date(ms);
  const time = `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
  if (nowMs - ms < 86_400_000 && nowMs >= ms) return time;
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${time}`;
}
