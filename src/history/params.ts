// The query parameters of the history routes, checked one by one: every problem names its
// parameter and what was expected ("from: expected epoch milliseconds or a duration back from now
// such as -24h, got \"yesterday\"").
import { parseDurationMs } from "../config/index.ts";
import { type Aggregate, MAX_RANGE_MS } from "./backend.ts";
import { type MetricRef, parseMetric } from "./metrics.ts";

/** Metric names per request at most (each may be a [*] that expands to many series). */
export const MAX_METRICS = 32;
const DEFAULT_RANGE_MS = 3_600_000;

export interface HistoryParams {
  metrics: MetricRef[];
  fromMs: number;
  toMs: number;
  stepMs: number | null;
  agg: Aggregate;
}

export interface ParamProblem {
  param: string;
  message: string;
}

/** "a,b[x,y].c" → ["a", "b[x,y].c"]: commas inside brackets belong to a key. */
export function splitMetricList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "[") depth++;
    else if (char === "]") depth = Math.max(0, depth - 1);
    if (char === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += char;
  }
  out.push(current);
  return out.map((m) => m.trim()).filter((m) => m !== "");
}

const TIME_EXPECTED =
  'epoch milliseconds, "now", or a duration back from now such as "-1h" or "-7d"';

function parseTime(text: string, nowMs: number): number | null {
  if (text === "now") return nowMs;
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (text.startsWith("-")) {
    const backMs = parseDurationMs(text.slice(1));
    return backMs === null ? null : nowMs - backMs;
  }
  return null;
}

const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** Every parameter of a history request, or the first problem found. */
export function parseHistoryParams(
  search: URLSearchParams,
  nowMs: number,
): HistoryParams | ParamProblem {
  const names = search.getAll("metrics").flatMap(splitMetricList);
  if (names.length === 0) {
    return {
      param: "metrics",
      message:
        'missing; expected one or more metric names separated by commas, such as "cpu.total_pct,memory.used_bytes,network[*].rx_bps" (the list is in docs/HISTORY.md)',
    };
  }
  if (names.length > MAX_METRICS) {
    return {
      param: "metrics",
      message: `expected at most ${MAX_METRICS} metric names, got ${names.length}`,
    };
  }
  const metrics: MetricRef[] = [];
  for (const name of names) {
    const parsed = parseMetric(name);
    if ("error" in parsed) return { param: "metrics", message: parsed.error };
    metrics.push(parsed);
  }

  const toText = search.get("to");
  const toMs = toText === null ? nowMs : parseTime(toText, nowMs);
  if (toMs === null)
    return { param: "to", message: `expected ${TIME_EXPECTED}, got ${quote(toText ?? "")}` };
  const fromText = search.get("from");
  let fromMs = fromText === null ? toMs - DEFAULT_RANGE_MS : parseTime(fromText, nowMs);
  if (fromMs === null) {
    return { param: "from", message: `expected ${TIME_EXPECTED}, got ${quote(fromText ?? "")}` };
  }
  if (fromMs >= toMs) {
    return { param: "from", message: `expected a time before to (${toMs}), got ${fromMs}` };
  }
  // A range beyond any retention is clamped rather than refused: "everything you have". Time
  // starts at the epoch: a `to` within the first hour would otherwise default `from` below 0.
  fromMs = Math.max(fromMs, toMs - MAX_RANGE_MS, 0);

  const stepText = search.get("step");
  let stepMs: number | null = null;
  if (stepText !== null) {
    stepMs = /^\d{1,12}$/.test(stepText) ? Number(stepText) : parseDurationMs(stepText);
    if (stepMs === null || stepMs <= 0) {
      return {
        param: "step",
        message: `expected milliseconds or a duration such as "5m", got ${quote(stepText)}`,
      };
    }
  }

  const aggText = search.get("agg") ?? "avg";
  if (aggText !== "avg" && aggText !== "max") {
    return { param: "agg", message: `expected "avg" or "max", got ${quote(aggText)}` };
  }
  return { metrics, fromMs, toMs, stepMs, agg: aggText };
}
