// History answers and snapshots for the client's tests: a host recorded every 10 s, read raw or
// in steps, with a hole where it was down; snapshots validated against the wire schema.
import * as v from "valibot";
import type { Point } from "../../../src/client/columns.ts";
import {
  type HistoryResponse,
  type Snapshot,
  SnapshotSchema,
} from "../../../src/protocol/index.ts";

export const T0 = 1_763_790_000_000;
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

/** Points every `stepMs` from `fromMs`, `count` of them, valued by `value(i)`. */
export function points(
  fromMs: number,
  stepMs: number,
  count: number,
  value: (i: number) => number,
): Point[] {
  return Array.from({ length: count }, (_, i) => [fromMs + i * stepMs, value(i)] as const);
}

export function historyResponse(
  series: Record<string, Point[]>,
  window: { fromMs: number; toMs: number; stepMs: number; agg?: "avg" | "max" },
): HistoryResponse {
  return {
    host: "pve-web",
    from_ms: window.fromMs,
    to_ms: window.toMs,
    step_ms: window.stepMs,
    agg: window.agg ?? "avg",
    series: Object.fromEntries(
      Object.entries(series).map(([name, pts]) => [
        name,
        pts.map(([t, x]) => [t, x] as [number, number]),
      ]),
    ),
  };
}

export function snapshot(tsMs: number, cpuPct: number, rxBps = 1000): Snapshot {
  return v.parse(SnapshotSchema, {
    v: 1,
    host: "pve-web",
    ts_ms: tsMs,
    uptime_s: 3600,
    cpu: {
      total_pct: cpuPct,
      user_pct: cpuPct / 2,
      system_pct: cpuPct / 4,
      iowait_pct: null,
      steal_pct: null,
      cores_pct: [cpuPct, cpuPct],
      load: [0.5, 0.4, 0.3],
      freq_mhz: 2400,
    },
    memory: {
      total_bytes: 8 * 1024 ** 3,
      used_bytes: 2 * 1024 ** 3,
      available_bytes: 6 * 1024 ** 3,
      cached_bytes: 1024 ** 3,
      swap_total_bytes: 0,
      swap_used_bytes: 0,
    },
    network: [
      { iface: "eth0", rx_bps: rxBps, tx_bps: 500, rx_total_bytes: 10, tx_total_bytes: 5 },
      { iface: "wg0", rx_bps: null, tx_bps: 0, rx_total_bytes: 1, tx_total_bytes: 1 },
    ],
    sensors: [
      { label: "Package id 0", chip: "coretemp", celsius: 51, max_celsius: 80, crit_celsius: 100 },
    ],
  });
}
