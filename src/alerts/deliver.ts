// One attempt to hand a notification to its target: bounded in time, no redirects, at most a few
// KB of an error body read, and a reason that never shows the URL or token (they are secrets).
import type { NotifierConfig } from "../config/index.ts";
import type { AlertNotification } from "./notification.ts";
import { buildRequest } from "./notifiers/index.ts";

export const SEND_TIMEOUT_MS = 10_000;
/** Enough of an error body to say why; a target that streams megabytes is not read further. */
export const MAX_ERROR_BODY_BYTES = 4096;
/** Shown of that body in a log line or a message. */
const MAX_REASON_CHARS = 200;

export type DeliveryResult =
  | { ok: true; status: number }
  /** retry: a later attempt may succeed (no answer, 5xx, 408, 429); a 4xx or 3xx will not. */
  | { ok: false; status: number | null; reason: string; retry: boolean };

export interface AttemptOptions {
  timeoutMs?: number;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Aborts the attempt from outside (the engine stopping). */
  signal?: AbortSignal;
}

/** Every form in which a notifier's secrets could show up in an error text, longest first. */
function secretsOf(notifier: NotifierConfig): string[] {
  const secrets = [notifier.url, notifier.token ?? ""];
  try {
    const url = new URL(notifier.url);
    secrets.push(url.href, `${url.host}${url.pathname}`, url.pathname, url.search);
  } catch {
    // The config only lets http(s) URLs through; nothing more to hide.
  }
  return secrets.filter((s) => s.length > 1).sort((a, b) => b.length - a.length);
}

export function redact(text: string, notifier: NotifierConfig): string {
  let out = text;
  for (const secret of secretsOf(notifier)) out = out.replaceAll(secret, "…");
  return out;
}

async function readSome(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ERROR_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES));
  return text.replace(/\s+/g, " ").trim().slice(0, MAX_REASON_CHARS);
}

/** Bun's words for these ("Unable to connect. Is the computer able to access the url?") say less. */
const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host name not found",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

function describeError(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  if (err instanceof Error) {
    if (err.name === "AbortError") return "cancelled: hwm is stopping";
    const code = (err as { code?: unknown }).code;
    if (typeof code !== "string") return err.message;
    const words = NETWORK_ERRORS[code];
    if (words) return `${words} (${code})`;
    return err.message.includes(code) ? err.message : `${code}: ${err.message}`;
  }
  return String(err);
}

export async function deliverOnce(
  notifier: NotifierConfig,
  notification: AlertNotification,
  options: AttemptOptions = {},
): Promise<DeliveryResult> {
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const timeout = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    timeout.abort();
  }, timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([timeout.signal, options.signal])
    : timeout.signal;
  try {
    const request = buildRequest(notifier, notification, Date.now());
    const res = await (options.fetch ?? fetch)(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      // A redirect could carry the secret URL's request elsewhere; a moved webhook is a config error.
      redirect: "manual",
      signal,
    });
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => {});
      return { ok: true, status: res.status };
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => {});
      return {
        ok: false,
        status: res.status,
        reason: `HTTP ${res.status}: a redirect, not followed (set the final URL in the config)`,
        retry: false,
      };
    }
    const text = await readSome(res.body);
    return {
      ok: false,
      status: res.status,
      reason: redact(text ? `HTTP ${res.status}: ${text}` : `HTTP ${res.status}`, notifier),
      retry: res.status >= 500 || res.status === 408 || res.status === 429,
    };
  } catch (err) {
    return {
      ok: false,
      status: null,
      reason: redact(describeError(err, timedOut, timeoutMs), notifier),
      retry: true,
    };
  } finally {
    clearTimeout(timer);
  }
}
