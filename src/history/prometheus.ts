// History read from a Prometheus-compatible query API (Prometheus, VictoriaMetrics) that scrapes
// the senders or this receiver's /metrics: the HistoryReader for backend = "prometheus".
import type { Logger } from "../log.ts";
import {
  chooseStepMs,
  type HistoryAnswer,
  HistoryError,
  type HistoryQuery,
  type HistoryReader,
  MAX_POINTS,
  MAX_RANGE_MS,
  MAX_SERIES,
  type Point,
} from "./backend.ts";
import { MAX_KEY_LENGTH, type MetricRef, metricName } from "./metrics.ts";
import { type ApiOptions, displayUrl, queryRange, type RangeSeries } from "./prometheus-api.ts";
import { type BuiltQuery, buildQuery } from "./prometheus-promql.ts";

export interface PrometheusOptions {
  /** Base URL, no trailing slash, e.g. http://127.0.0.1:9090. */
  url: string;
  /** Bearer token; null: none. */
  token: string | null;
  label: "instance" | "host";
  /**
   * The label value that identifies a host id: for "instance", the sender's host:port (the
   * receiver knows each sender's URL); for "host", the id itself. null: unknown host.
   */
  hostLabel: (hostId: string) => string | null;
  log: Logger;
  /** For tests. */
  fetch?: typeof fetch;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Prometheus steps have millisecond precision, but a step under a second is never useful here. */
const MIN_STEP_MS = 1000;
/** Requests in flight at once for one history query: 32 metrics do not arrive as 32 at once. */
const MAX_CONCURRENT_REQUESTS = 4;

export class PrometheusHistory implements HistoryReader {
  readonly backend = "prometheus";
  readonly #options: PrometheusOptions;
  readonly #api: ApiOptions;
  readonly #closed = new AbortController();
  /** Whether the last request failed: failures are logged when they start, not on every query. */
  #failing = false;

  constructor(options: PrometheusOptions) {
    this.#options = options;
    this.#api = {
      url: options.url.replace(/\/+$/, ""),
      token: options.token,
      fetch: options.fetch ?? fetch,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    };
  }

  async query(q: HistoryQuery): Promise<HistoryAnswer> {
    if (this.#closed.signal.aborted) throw new HistoryError("the Prometheus history is closed");
    const toMs = q.toMs;
    const fromMs = Math.max(q.fromMs, toMs - MAX_RANGE_MS);
    const stepMs = chooseStepMs(fromMs, toMs, q.stepMs, MIN_STEP_MS);
    const hosts = new Map<string, Map<string, Point[]>>(q.hosts.map((id) => [id, new Map()]));
    const answer: HistoryAnswer = { fromMs, toMs, stepMs, hosts };

    // Steps start at multiples of the step, so a refreshed sparkline keeps its points in place.
    const lastStepMs = Math.floor(toMs / stepMs) * stepMs;
    const firstStepMs = Math.max(
      Math.floor(fromMs / stepMs) * stepMs,
      lastStepMs - (MAX_POINTS - 1) * stepMs,
    );

    const idsByLabel = new Map<string, string[]>();
    for (const id of new Set(q.hosts)) {
      const value = this.#options.hostLabel(id);
      if (value === null || value === "") continue;
      idsByLabel.set(value, [...(idsByLabel.get(value) ?? []), id]);
    }
    if (idsByLabel.size === 0 || toMs < fromMs) return answer;

    const planned = q.metrics.map((ref) => ({
      ref,
      built: buildQuery(ref.family, {
        hostLabel: this.#options.label,
        hostValues: [...idsByLabel.keys()],
        key: ref.key,
        agg: q.agg,
        stepMs,
      }),
    }));

    // Prometheus gives the value at t for the window ending at t; a point names the step it
    // starts, so each step is evaluated at its end.
    const results = await this.#runAll(planned, (built, signal) =>
      queryRange(
        this.#api,
        {
          promql: built.promql,
          startMs: firstStepMs + stepMs,
          endMs: lastStepMs + stepMs,
          stepMs,
        },
        signal,
      ),
    );

    let seriesCount = 0;
    let leftOut = 0;
    planned.forEach(({ ref, built }, i) => {
      const series = results[i];
      if (!built || !series) return;
      for (const s of series) {
        const name = seriesName(ref, built, s);
        const ids = idsByLabel.get(s.metric[this.#options.label] ?? "");
        if (name === null || ids === undefined) continue;
        const points = toPoints(s.values, stepMs);
        if (points.length === 0) continue;
        for (const id of ids) {
          const byName = hosts.get(id);
          if (!byName || byName.has(name)) continue;
          if (seriesCount >= MAX_SERIES) {
            leftOut++;
            continue;
          }
          byName.set(name, ids.length > 1 ? points.map((p): Point => [p[0], p[1]]) : points);
          seriesCount++;
        }
      }
    });
    if (leftOut > 0) {
      this.#options.log.warn("history answer cut at the series limit", {
        limit: MAX_SERIES,
        left_out: leftOut,
      });
    }
    return answer;
  }

  close(): void {
    this.#closed.abort();
  }

  /**
   * Every planned query, MAX_CONCURRENT_REQUESTS at a time, answers in plan order (null: nothing
   * to ask). The first failure cancels the rest and is thrown.
   */
  async #runAll(
    planned: readonly { built: BuiltQuery | null }[],
    run: (
      built: BuiltQuery,
      signal: AbortSignal,
    ) => Promise<{ series: RangeSeries[]; warnings: string[] }>,
  ): Promise<(RangeSeries[] | null)[]> {
    const cancel = new AbortController();
    const signal = AbortSignal.any([this.#closed.signal, cancel.signal]);
    const out: (RangeSeries[] | null)[] = planned.map(() => null);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < planned.length && !signal.aborted) {
        const i = next++;
        const built = planned[i]?.built;
        if (!built) continue;
        const startedMs = performance.now();
        const { series, warnings } = await run(built, signal);
        this.#options.log.debug("prometheus query", {
          promql: built.promql,
          series: series.length,
          ms: Math.round(performance.now() - startedMs),
          warnings: warnings.length > 0 ? warnings.join("; ") : undefined,
        });
        out[i] = series;
      }
    };
    try {
      await Promise.all(
        Array.from({ length: Math.min(MAX_CONCURRENT_REQUESTS, planned.length) }, worker),
      );
    } catch (err) {
      cancel.abort();
      if (err instanceof HistoryError && !this.#closed.signal.aborted && !this.#failing) {
        this.#failing = true;
        this.#options.log.warn("history from Prometheus fails", {
          url: displayUrl(this.#api.url),
          error: err.message,
        });
      }
      throw err;
    }
    if (this.#failing) {
      this.#failing = false;
      this.#options.log.info("history from Prometheus answers again", {
        url: displayUrl(this.#api.url),
      });
    }
    return out;
  }
}

/** The stored name of a result series ("network[eth0].rx_bps"), or null when it has no key. */
function seriesName(ref: MetricRef, built: BuiltQuery, series: RangeSeries): string | null {
  if (built.keyLabels.length === 0) return metricName(ref.family, ref.key);
  const parts = built.keyLabels.map((label) => series.metric[label] ?? "");
  if (parts.some((p) => p === "")) return null;
  // Cut as the recorder cuts, so both backends name a long key alike.
  return metricName(ref.family, parts.join("/").slice(0, MAX_KEY_LENGTH));
}

/** [seconds, "value"] evaluated at each step's end → [start of the step in ms, value]; NaN and ±Inf dropped. */
function toPoints(values: readonly unknown[], stepMs: number): Point[] {
  const out: Point[] = [];
  for (const pair of values) {
    if (!Array.isArray(pair)) continue;
    const [seconds, text] = pair as unknown[];
    if (typeof seconds !== "number" || typeof text !== "string" || text === "") continue;
    const value = Number(text);
    if (!Number.isFinite(value)) continue;
    out.push([Math.round(seconds * 1000) - stepMs, value]);
  }
  return out;
}
