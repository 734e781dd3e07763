// The configuration reference shown in the README: one row per key of ConfigFileSchema (a test
// checks both ways), rendered by `bun scripts/config-reference.ts`.

export interface KeyDoc {
  key: string;
  /** What the key takes and its default. */
  value: string;
  doc: string;
}

export const CONFIG_REFERENCE: readonly KeyDoc[] = [
  {
    key: "role",
    value: '"sender" \\| "receiver" \\| "both"; default "both"',
    doc: "What this node does (SPEC §1).",
  },
  {
    key: "listen",
    value: 'HOST:PORT; default "127.0.0.1:7070"',
    doc: "Where to serve; a non-loopback address needs a token.",
  },
  {
    key: "token",
    value: "string, ≥ 16 URL-safe characters",
    doc: "Shared secret for every API call; make one with `hwm token`. Also what senders are asked with.",
  },
  { key: "token_file", value: "path", doc: "Read the token from this file instead (not both)." },
  {
    key: "interval_ms",
    value: "100 – 3600000; default 1000",
    doc: "How often a receiver polls while someone watches.",
  },
  { key: "tls.cert", value: "path (PEM)", doc: "Serve https/wss with this certificate…" },
  { key: "tls.key", value: "path (PEM)", doc: "…and this private key." },
  {
    key: "tls.ca",
    value: "path (PEM)",
    doc: "CA that sender certificates are verified against (default: the system's).",
  },
  {
    key: "dashboard.allowed_origins",
    value: 'list of "scheme://host[:port]"',
    doc: "Other sites whose pages may open `/api/v1/live` and log in.",
  },
  {
    key: "senders[].name",
    value: "host id: letters, digits, . _ -",
    doc: "The host's id in the fleet and in URLs; unique.",
  },
  { key: "senders[].url", value: "http:// or https:// URL", doc: "Where the sender listens." },
  {
    key: "senders[].token",
    value: "string",
    doc: "This sender's token; default: the receiver's own.",
  },
  {
    key: "senders[].fingerprint",
    value: '"sha256:" + 64 hex digits',
    doc: "Pin the sender's (self-signed) certificate; https only.",
  },
  {
    key: "senders[].ca",
    value: "path (PEM)",
    doc: "CA that this sender's certificate is verified against; https only.",
  },
  {
    key: "history.enabled",
    value: "true \\| false; default false",
    doc: "Record history even while nobody watches (not built yet).",
  },
  {
    key: "history.interval_ms",
    value: "100 – 3600000; default 10000",
    doc: "How often history is recorded.",
  },
  { key: "history.path", value: "path; default: the XDG state directory", doc: "The SQLite file." },
  { key: "notifiers[].name", value: "string", doc: "Name that alerts refer to (not built yet)." },
  {
    key: "notifiers[].type",
    value: '"webhook" \\| "ntfy" \\| "discord" \\| "slack"',
    doc: "How to notify.",
  },
  { key: "notifiers[].url", value: "http(s) URL", doc: "Where to send notifications." },
  { key: "alerts[].name", value: "string", doc: "Alert rule name (not built yet)." },
  {
    key: "alerts[].when",
    value: 'condition, e.g. "cpu.total_pct > 90"',
    doc: "When the rule fires; also `host offline`, `reboot`.",
  },
  {
    key: "alerts[].for",
    value: 'duration, e.g. "30s", "5m"',
    doc: "How long the condition must hold.",
  },
  { key: "alerts[].hosts", value: 'list of host ids or "*"', doc: "Which hosts the rule watches." },
  { key: "alerts[].notify", value: "list of notifier names", doc: "Who is told." },
];

export function renderReference(): string {
  const rows = CONFIG_REFERENCE.map((k) => `| \`${k.key}\` | ${k.value} | ${k.doc} |`);
  return ["| key | value | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}
