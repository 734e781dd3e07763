// The time a host's charts span. A host that is online spans its range (or, live, the data it
// has); a host that went away spans up to now, so its lines stop where its data stopped and the
// empty time since reads as the gap it is, rather than the chart ending at the last reading.
import type { HostStatus } from "../protocol/index.ts";
import { isAway } from "./host-series.ts";

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface ChartWindowInput {
  /** The range's own window (a zoom, or a history range); null: the data's extent. */
  window: TimeWindow | null;
  /** The rows the charts draw, oldest first. */
  timesMs: readonly number[];
  status: HostStatus;
  /** Now, on the receiver's clock (the one the points are placed on). */
  nowMs: number;
  /** The longest the window may be when it follows the data (the Live range's span). */
  spanMs: number;
  /** A zoom stays where it was put. */
  zoomed: boolean;
}

export function chartWindow(input: ChartWindowInput): TimeWindow | null {
  const { window, timesMs, status, nowMs, spanMs, zoomed } = input;
  if (zoomed || !isAway(status)) return window;
  if (window) {
    const toMs = Math.max(window.toMs, nowMs);
    return { fromMs: toMs - (window.toMs - window.fromMs), toMs };
  }
  const firstMs = timesMs[0];
  if (firstMs === undefined) return null;
  return { fromMs: Math.max(firstMs, nowMs - spanMs), toMs: Math.max(nowMs, firstMs + 1) };
}
