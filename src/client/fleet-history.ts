// The fleet cards' sparklines from the receiver's history: CPU over the last day for every host
// in one request, read again every few minutes (not every frame: a day changes slowly).
import { type ApiResult, type ApiTarget, before, fetchFleetHistory } from "./api.ts";
import type { Point } from "./columns.ts";

export const FLEET_SPARK = {
  metric: "cpu.total_pct",
  spanMs: 24 * 3_600_000,
  stepMs: 15 * 60_000,
  refreshMs: 5 * 60_000,
  label: "24 h",
} as const;

/** One host's sparkline: its points and the window they are drawn in. */
export interface SparkSeries {
  fromMs: number;
  toMs: number;
  stepMs: number;
  points: readonly Point[];
}

export interface FleetSparks {
  /** When it was read, on this machine's clock (for the refresh). */
  readAtMs: number;
  byHost: ReadonlyMap<string, SparkSeries>;
}

export async function fetchFleetSparks(
  target: ApiTarget,
  nowMs = Date.now(),
): Promise<ApiResult<FleetSparks>> {
  const result = await fetchFleetHistory(target, null, {
    metrics: [FLEET_SPARK.metric],
    from: before(FLEET_SPARK.spanMs),
    to: "now",
    stepMs: FLEET_SPARK.stepMs,
  });
  if (!result.ok) return result;
  const { from_ms, to_ms, step_ms, hosts } = result.value;
  const byHost = new Map<string, SparkSeries>();
  for (const [id, series] of Object.entries(hosts)) {
    byHost.set(id, {
      fromMs: from_ms,
      toMs: to_ms,
      stepMs: step_ms,
      points: series[FLEET_SPARK.metric] ?? [],
    });
  }
  return { ok: true, value: { readAtMs: nowMs, byHost } };
}
