// What the history routes ask of a history backend (the SQLite recorder or a Prometheus query
// API), and the limits every backend holds to, so a huge range or a tiny step never blows up.
import type { MetricRef } from "./metrics.ts";

export type Aggregate = "avg" | "max";

export interface HistoryQuery {
  /** Host ids: one for /api/v1/hosts/:id/history, many for /api/v1/history. */
  hosts: readonly string[];
  /** Parsed metric names; a key of "*" means every key the host has. */
  metrics: readonly MetricRef[];
  fromMs: number;
  toMs: number;
  /** null: chosen for about DEFAULT_POINTS points over the range. */
  stepMs: number | null;
  agg: Aggregate;
}

/** [ts_ms, value]: the step starting at ts_ms (or the recorded point, at raw resolution). */
export type Point = [number, number];

export interface HistoryAnswer {
  fromMs: number;
  toMs: number;
  /** The step actually used: at least the requested one, and never finer than the data. */
  stepMs: number;
  /** Per host id, per full metric name ("network[eth0].rx_bps"), points oldest first. */
  hosts: Map<string, Map<string, Point[]>>;
}

export interface HistoryReader {
  readonly backend: "sqlite" | "prometheus";
  query(query: HistoryQuery): Promise<HistoryAnswer>;
  close(): void;
}

/** What the history routes serve from: a reader, or why there is none although history is on. */
export interface HistoryAccess {
  /** null: history is off, or could not be opened (then `unavailable` says why). */
  reader: HistoryReader | null;
  unavailable: string | null;
}

/** A backend that cannot serve (file damaged, Prometheus unreachable): its message is for users. */
export class HistoryError extends Error {
  override readonly name = "HistoryError";
}

/** Points per series when the request names no step. */
export const DEFAULT_POINTS = 300;
/** Points per series at most: a smaller step is raised to fit. */
export const MAX_POINTS = 2000;
/** Series per answer at most (hosts × metrics, wildcards expanded); the rest are left out. */
export const MAX_SERIES = 500;
/** The oldest `from` a query may ask for: anything older is clamped to this far back. */
export const MAX_RANGE_MS = 400 * 86_400_000;

/**
 * The step for a range: the requested one (or one for DEFAULT_POINTS points), raised to at least
 * `minStepMs` and to whatever keeps the series within MAX_POINTS.
 */
export function chooseStepMs(
  fromMs: number,
  toMs: number,
  requestedMs: number | null,
  minStepMs = 1,
): number {
  const spanMs = Math.max(1, toMs - fromMs);
  const wanted = requestedMs ?? Math.ceil(spanMs / DEFAULT_POINTS);
  return Math.max(wanted, minStepMs, Math.ceil(spanMs / MAX_POINTS), 1);
}
