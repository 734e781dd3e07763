// The receiver's history and alert routes for any dashboard: build the request, fetch it, and
// decode the answer with the protocol's schemas, so a malformed answer is an error with a reason,
// never a chart drawn from garbage.
import type * as v from "valibot";
import { connectFailure } from "../peer/link-error.ts";
import {
  type AlertsResponse,
  AlertsResponseSchema,
  decode,
  type FleetHistoryResponse,
  FleetHistoryResponseSchema,
  type HistoryResponse,
  HistoryResponseSchema,
} from "../protocol/index.ts";

/** Where the receiver is and how to ask it. */
export interface ApiTarget {
  /** "" for the page's own origin; "https://host:port" for a terminal. */
  baseUrl: string;
  /** Added to every request: a bearer token's header, TLS options, credentials. */
  init?: RequestInit;
  timeoutMs?: number;
  /** The fetch to use (tests pass their own). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export type ApiError =
  /** The receiver answered with an error status; `message` is its own words. */
  | { kind: "http"; status: number; message: string }
  /** No answer: unreachable, reset, or slower than the timeout. */
  | { kind: "network"; message: string }
  /** An answer that is not the JSON the protocol describes. */
  | { kind: "invalid"; message: string };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const TIMEOUT_MS = 15_000;

/** A time for `from`/`to`: epoch milliseconds, or "now" and "-900000ms" on the receiver's clock. */
export type TimeParam = number | "now" | `-${number}ms`;

/** `spanMs` back from the receiver's now: its clock, not ours, decides what "the last hour" is. */
export function before(spanMs: number): TimeParam {
  return `-${Math.max(0, Math.round(spanMs))}ms`;
}

export interface HistoryQuery {
  /** Metric names as the history routes take them: "cpu.total_pct", "network[*].rx_bps". */
  metrics: readonly string[];
  from: TimeParam;
  to: TimeParam;
  stepMs: number;
  agg?: "avg" | "max";
}

function historyParams(query: HistoryQuery): URLSearchParams {
  const params = new URLSearchParams({
    metrics: query.metrics.join(","),
    from: String(query.from),
    to: String(query.to),
    step: String(Math.max(1, Math.round(query.stepMs))),
  });
  if (query.agg) params.set("agg", query.agg);
  return params;
}

export function hostHistoryPath(host: string, query: HistoryQuery): string {
  return `/api/v1/hosts/${encodeURIComponent(host)}/history?${historyParams(query)}`;
}

export function fleetHistoryPath(hosts: readonly string[] | null, query: HistoryQuery): string {
  const params = historyParams(query);
  if (hosts) params.set("hosts", hosts.join(","));
  return `/api/v1/history?${params}`;
}

export const ALERTS_PATH = "/api/v1/alerts";

/** How the receiver words an HTTP error (src/server/http.ts). */
interface ErrorBody {
  error?: { message?: unknown };
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as ErrorBody;
    const message = body.error?.message;
    if (typeof message === "string" && message !== "") return message;
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  return `${res.status} ${res.statusText}`.trim();
}

/** GET a path and decode its JSON with `schema`. */
/**
 * Why a request got no answer, in words: a runtime's socket error (it carries a code, as Bun's
 * and Node's do) is translated, never shown raw; a browser's own message says little but is all
 * it gives.
 */
function unreachable(err: unknown, target: ApiTarget): string {
  const coded = typeof err === "object" && err !== null && "code" in err;
  if (coded && target.baseUrl !== "") {
    return connectFailure(err, new URL(target.baseUrl).host, target.timeoutMs ?? TIMEOUT_MS)
      .message;
  }
  return err instanceof Error ? err.message : String(err);
}

export async function getJson<S extends v.GenericSchema>(
  target: ApiTarget,
  path: string,
  schema: S,
): Promise<ApiResult<v.InferOutput<S>>> {
  const timeout = AbortSignal.timeout(target.timeoutMs ?? TIMEOUT_MS);
  const signal = target.init?.signal ? AbortSignal.any([target.init.signal, timeout]) : timeout;
  const doFetch = target.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  let res: Response;
  try {
    res = await doFetch(`${target.baseUrl}${path}`, { ...target.init, signal });
  } catch (err) {
    const message =
      timeout.aborted && !target.init?.signal?.aborted
        ? "the receiver did not answer in time"
        : unreachable(err, target);
    return { ok: false, error: { kind: "network", message } };
  }
  if (!res.ok) {
    return {
      ok: false,
      error: { kind: "http", status: res.status, message: await errorMessage(res) },
    };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return { ok: false, error: { kind: "invalid", message: "the answer is not JSON" } };
  }
  const decoded = decode(schema, body);
  if (!decoded.ok) return { ok: false, error: { kind: "invalid", message: decoded.error } };
  return { ok: true, value: decoded.value };
}

export function fetchHostHistory(
  target: ApiTarget,
  host: string,
  query: HistoryQuery,
): Promise<ApiResult<HistoryResponse>> {
  return getJson(target, hostHistoryPath(host, query), HistoryResponseSchema);
}

export function fetchFleetHistory(
  target: ApiTarget,
  hosts: readonly string[] | null,
  query: HistoryQuery,
): Promise<ApiResult<FleetHistoryResponse>> {
  return getJson(target, fleetHistoryPath(hosts, query), FleetHistoryResponseSchema);
}

export function fetchAlerts(target: ApiTarget): Promise<ApiResult<AlertsResponse>> {
  return getJson(target, ALERTS_PATH, AlertsResponseSchema);
}

/** One line for people: what went wrong, in the receiver's words when it gave some. */
export function describeApiError(error: ApiError): string {
  switch (error.kind) {
    case "http":
      return error.message;
    case "network":
      return `cannot reach the receiver (${error.message})`;
    case "invalid":
      return `the receiver's answer cannot be read (${error.message})`;
  }
}
