// One range query to a Prometheus-compatible HTTP API (Prometheus, VictoriaMetrics): bounded in
// time and size, no redirects followed, every failure a HistoryError whose message is for users.
import * as v from "valibot";
import { HistoryError } from "./backend.ts";

/** More than this in an error body is not read: the message needs its first lines at most. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;
/** A matrix of MAX_SERIES × MAX_POINTS points is about 40 MB of JSON; beyond this, something is wrong. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/** Error text from the server is cut to this many characters in our messages. */
const MAX_ERROR_TEXT = 300;

export interface RangeRequest {
  promql: string;
  startMs: number;
  endMs: number;
  stepMs: number;
}

/** One series of a matrix answer: its labels, and [seconds, "value"] pairs, oldest first. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: unknown[];
}

export interface ApiOptions {
  url: string;
  token: string | null;
  fetch: typeof fetch;
  timeoutMs: number;
}

const ErrorBodySchema = v.object({ error: v.string() });

const MatrixAnswerSchema = v.object({
  status: v.literal("success"),
  data: v.object({
    resultType: v.literal("matrix"),
    result: v.array(
      v.object({
        metric: v.record(v.string(), v.string()),
        // Checked point by point where they are converted: a million tuples through valibot is slow.
        values: v.optional(v.array(v.unknown()), []),
      }),
    ),
  }),
  warnings: v.optional(v.array(v.string())),
});

/** The base URL as messages show it: no user, password, query or fragment. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

/** Seconds with the fraction only when there is one ("10 s", "0.5 s"). */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * POST /api/v1/query_range (a form body keeps a long host alternation out of the URL, where
 * proxies cut at 8 KiB). Resolves to the matrix and the server's warnings.
 */
export async function queryRange(
  options: ApiOptions,
  request: RangeRequest,
  signal: AbortSignal,
): Promise<{ series: RangeSeries[]; warnings: string[] }> {
  const shown = displayUrl(options.url);
  const clean = (text: string) => sanitize(text, options.token);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const both = AbortSignal.any([signal, timeout]);
  const headers: Record<string, string> = {
    accept: "application/json",
    "content-type": "application/x-www-form-urlencoded",
  };
  if (options.token !== null) headers.authorization = `Bearer ${options.token}`;
  const body = new URLSearchParams({
    query: request.promql,
    start: String(request.startMs / 1000),
    end: String(request.endMs / 1000),
    step: String(request.stepMs / 1000),
  });

  const failure = (err: unknown): HistoryError => {
    if (timeout.aborted) {
      return new HistoryError(
        `Prometheus at ${shown} did not answer within ${seconds(options.timeoutMs)}`,
      );
    }
    if (signal.aborted) return new HistoryError("the history query was cancelled");
    if (err instanceof HistoryError) return err;
    return new HistoryError(`Prometheus at ${shown} cannot be reached: ${networkReason(err)}`);
  };

  let res: Response;
  try {
    res = await options.fetch(`${options.url}/api/v1/query_range`, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: both,
    });
  } catch (err) {
    throw failure(err);
  }

  try {
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get("location");
      const where =
        location === null ? "" : ` to ${displayUrl(new URL(location, options.url).href)}`;
      await res.body?.cancel();
      throw new HistoryError(
        `Prometheus at ${shown} answered with a redirect (HTTP ${res.status}${where}); set history.url to the address it leads to`,
      );
    }
    if (!res.ok) {
      const text = await readCapped(res, MAX_ERROR_BODY_BYTES, "cut");
      throw new HistoryError(httpErrorMessage(shown, res.status, clean(errorText(text))));
    }
    const text = await readCapped(res, MAX_ANSWER_BYTES, "refuse");
    if (text === null) {
      throw new HistoryError(
        `Prometheus at ${shown} answered with more than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB for one metric; ask for fewer hosts or a coarser step`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HistoryError(
        `Prometheus at ${shown} answered with something other than JSON (HTTP ${res.status}, ${res.headers.get("content-type") ?? "no content type"}): is history.url the base URL of its query API?`,
      );
    }
    const parsed = v.safeParse(MatrixAnswerSchema, json);
    if (!parsed.success) {
      const refused = v.safeParse(ErrorBodySchema, json);
      throw new HistoryError(
        refused.success
          ? `Prometheus refused the query: ${clean(refused.output.error)}`
          : `Prometheus at ${shown} answered JSON that is not a range query's matrix`,
      );
    }
    return {
      series: parsed.output.data.result,
      warnings: (parsed.output.warnings ?? []).map(clean),
    };
  } catch (err) {
    throw failure(err);
  }
}

function httpErrorMessage(shown: string, status: number, error: string): string {
  const detail = error === "" ? "" : `: ${error}`;
  if (status === 400 || status === 422) return `Prometheus refused the query${detail}`;
  if (status === 401 || status === 403) {
    return `Prometheus at ${shown} refused our credentials (HTTP ${status}); check history.token_file`;
  }
  if (status === 404) {
    return `Prometheus at ${shown} has no query API there (HTTP 404); history.url should be its base URL, such as http://prometheus:9090`;
  }
  return `Prometheus at ${shown} failed (HTTP ${status})${detail}`;
}

/** The API's JSON "error", else the body's first line, else nothing. */
function errorText(text: string | null): string {
  if (text === null) return "";
  try {
    const parsed = v.safeParse(ErrorBodySchema, JSON.parse(text));
    if (parsed.success) return parsed.output.error;
  } catch {
    // Not JSON: a proxy's page; its first line says enough.
  }
  return (text.split("\n").find((line) => line.trim() !== "") ?? "").trim();
}

/** Control characters out, the token (if a proxy ever echoes it) masked, the length bounded. */
function sanitize(text: string, token: string | null): string {
  let out = text.replace(/\p{Cc}+/gu, " ").trim();
  if (token !== null && token !== "") out = out.split(token).join("[token]");
  return out.length > MAX_ERROR_TEXT ? `${out.slice(0, MAX_ERROR_TEXT - 1)}…` : out;
}

function networkReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ConnectionRefused: "connection refused",
    ECONNRESET: "connection reset",
    ENOTFOUND: "no such host",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
  };
  if (typeof code === "string" && known[code]) return known[code];
  if (typeof code === "string" && code !== "") return code;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The body as text, at most maxBytes of it: beyond, "cut" keeps what was read and "refuse" answers
 * null; the rest is never read.
 */
async function readCapped(
  res: Response,
  maxBytes: number,
  beyond: "cut" | "refuse",
): Promise<string | null> {
  if (res.body === null) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > maxBytes) {
      await reader.cancel();
      if (beyond === "refuse") return null;
      chunks.push(value.subarray(0, maxBytes - total));
      break;
    }
    total += value.byteLength;
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
