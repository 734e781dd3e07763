// The value rules shared by the config file, the flags and the environment, each with the words
// that say what was expected, so every source reports a bad value the same way.
import { HEALTH_MAX_AGE_MS, HEALTH_TOOL_TIMEOUT_MS } from "../collect/constants.ts";

export const ROLES = ["sender", "receiver", "both"] as const;
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export const NOTIFIER_TYPES = [
  "webhook",
  "ntfy",
  "discord",
  "slack",
  "gotify",
  "alertmanager",
] as const;
/** Notifiers whose URL carries its own secret: a separate token would be ignored. */
export const URL_SECRET_NOTIFIERS: readonly string[] = ["discord", "slack"];
export const HISTORY_BACKENDS = ["sqlite", "prometheus"] as const;
/** The recorder's defaults: raw points for an hour, then means and maxima per minute, … */
export const HISTORY_DEFAULTS = {
  intervalMs: 10_000,
  rawRetentionMs: 3_600_000,
  rollups: [
    { stepMs: 60_000, retentionMs: 86_400_000 },
    { stepMs: 600_000, retentionMs: 7 * 86_400_000 },
    { stepMs: 3_600_000, retentionMs: 90 * 86_400_000 },
  ],
} as const;
export const PROMETHEUS_LABELS = ["instance", "host"] as const;

/** `"a", "b" or "c"`, for messages about a fixed set of choices. */
export function oneOf(choices: readonly string[]): string {
  const quoted = choices.map((c) => JSON.stringify(c));
  return quoted.length < 2
    ? (quoted[0] ?? "")
    : `one of ${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** A value as a message shows it: strings quoted and cut short, other TOML values by kind. */
export function describe(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) {
    return value.length > 0 && value.every(isTable) ? "an array of tables" : "an array";
  }
  // Bun.TOML turns TOML dates into Temporal-like objects that carry epochMilliseconds.
  if (typeof value === "object" && value !== null && "epochMilliseconds" in value) return "a date";
  if (typeof value === "object" && value !== null) return "a table";
  return String(value);
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// --- intervals and durations ---

export const MIN_INTERVAL_MS = 100;
export const MAX_INTERVAL_MS = 3_600_000;
export const INTERVAL_EXPECTED = `a whole number of milliseconds from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}`;

export function isIntervalMs(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_INTERVAL_MS && value <= MAX_INTERVAL_MS;
}

/**
 * The largest message a receiver takes from a sender. A snapshot with 50 processes is ~10-30 KB;
 * 1 MiB leaves room for the largest hosts while a hostile sender costs at most that per answer.
 */
export const MESSAGE_BYTES = { default: 1_048_576, min: 65_536, max: 67_108_864 } as const;
export const MESSAGE_BYTES_EXPECTED = `a whole number of bytes from ${MESSAGE_BYTES.min} to ${MESSAGE_BYTES.max}`;

export function isMessageBytes(value: number): boolean {
  return Number.isInteger(value) && value >= MESSAGE_BYTES.min && value <= MESSAGE_BYTES.max;
}

export const DURATION_EXPECTED =
  'a duration such as "30s", "5m", "1h" or "1h30m" (units ms, s, m, h, d)';
const DURATION_UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** "1h30m" → 5_400_000; null when the text is no duration. */
export function parseDurationMs(text: string): number | null {
  if (!/^(?:\d+(?:ms|s|m|h|d))+$/.test(text)) return null;
  let totalMs = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    totalMs += Number(amount) * (DURATION_UNIT_MS[unit ?? ""] ?? Number.NaN);
  }
  return Number.isSafeInteger(totalMs) ? totalMs : null;
}

/** A dashboard session ends this long after its login, used or not (dashboard.session_lifetime). */
export const DEFAULT_SESSION_LIFETIME_MS = 30 * 86_400_000;
export const MIN_SESSION_LIFETIME_MS = 60_000;
/** Browsers keep a cookie 400 days at most. */
export const MAX_SESSION_LIFETIME_MS = 400 * 86_400_000;
export const SESSION_LIFETIME_EXPECTED = 'a duration from "1m" to "400d", such as "12h" or "30d"';

export function isSessionLifetime(text: string): boolean {
  const ms = parseDurationMs(text);
  return ms !== null && ms >= MIN_SESSION_LIFETIME_MS && ms <= MAX_SESSION_LIFETIME_MS;
}

/** [health] max_age: how long a health reading (S.M.A.R.T., pools, units) is served. */
export const HEALTH_MAX_AGE = {
  defaultMs: HEALTH_MAX_AGE_MS,
  minMs: 30_000,
  maxMs: 86_400_000,
  expected: 'a duration from "30s" to "1d", such as "5m"',
} as const;
/** [health] tool_timeout: how long one smartctl, zpool or systemctl run may take. */
export const HEALTH_TOOL_TIMEOUT = {
  defaultMs: HEALTH_TOOL_TIMEOUT_MS,
  minMs: 1_000,
  maxMs: 300_000,
  expected: 'a duration from "1s" to "5m", such as "10s"',
} as const;

export function isDurationIn(text: string, range: { minMs: number; maxMs: number }): boolean {
  const ms = parseDurationMs(text);
  return ms !== null && ms >= range.minMs && ms <= range.maxMs;
}

// --- tokens ---

export const MIN_TOKEN_LENGTH = 16;
// Tokens travel in `Authorization: Bearer` and in the WebSocket protocol `hwm.token.<token>`,
// which only carries HTTP "token" characters: a base64 "/" or "=" would break the latter.
const TOKEN_CHARS = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
export const TOKEN_EXPECTED = `a token of at least ${MIN_TOKEN_LENGTH} characters from A-Z a-z 0-9 - . _ ~ + ! # $ % & ' * ^ \` | (make one with "hwm token")`;

/** The "expected …, got …" sentence for a bad token, or null. Never repeats the secret itself. */
export function tokenProblem(token: string): string | null {
  const length = [...token].length;
  if (length >= MIN_TOKEN_LENGTH && TOKEN_CHARS.test(token)) return null;
  const got =
    length === 0
      ? "an empty token"
      : `${length} character${length === 1 ? "" : "s"}${TOKEN_CHARS.test(token) ? "" : ", some of them not allowed"}`;
  return `expected ${TOKEN_EXPECTED}, got ${got}`;
}

export const SECRET_EXPECTED = "a secret of printable characters without spaces";

/** Tokens of other services (ntfy, Gotify, Prometheus): any header-safe text; never echoed. */
export function secretProblem(secret: string): string | null {
  if (/^[\x21-\x7e]+$/.test(secret)) return null;
  return `expected ${SECRET_EXPECTED}, got ${secret === "" ? "an empty one" : `${[...secret].length} characters, some of them not allowed`}`;
}

// --- names, URLs, origins, fingerprints ---

/** Sender names are host ids, used in URLs such as /api/v1/hosts/:id/history. */
export const HOST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const HOST_ID_EXPECTED =
  'a host id: 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit';

export const HTTP_URL_EXPECTED = "an http:// or https:// URL";

export function isHttpUrl(text: string): boolean {
  const url = URL.parse(text);
  return (
    url !== null && (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== ""
  );
}

/** True when the URL carries user:password; such URLs end up in logs, so they are refused. */
export function hasCredentials(text: string): boolean {
  const url = URL.parse(text);
  return url !== null && (url.username !== "" || url.password !== "");
}

export const ORIGIN_EXPECTED =
  'a browser origin: scheme, host and optional port without a path, such as "https://example.dev"';

/** What a browser sends in `Origin`: exactly "scheme://host[:port]", nothing after it. */
export function isOrigin(text: string): boolean {
  const url = URL.parse(text);
  return (
    url !== null && (url.protocol === "http:" || url.protocol === "https:") && url.origin === text
  );
}

export const FINGERPRINT_EXPECTED =
  'a certificate fingerprint: "sha256:" and 64 hex digits, colons between byte pairs allowed';
const FINGERPRINT = /^sha256:(?:[0-9a-f]{64}|[0-9a-f]{2}(?::[0-9a-f]{2}){31})$/i;

/** "sha256:AB:CD:…" → "sha256:abcd…" (lowercase, no colons); null when malformed. */
export function normalizeFingerprint(text: string): string | null {
  if (!FINGERPRINT.test(text)) return null;
  return `sha256:${text.slice("sha256:".length).replaceAll(":", "").toLowerCase()}`;
}
