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
    doc: "What this node does: sender, receiver, or both in one process.",
  },
  {
    key: "listen",
    value: 'HOST:PORT; default "127.0.0.1:7070"',
    doc: "Where to serve; a non-loopback address needs a token.",
  },
  {
    key: "token",
    value: "string, ≥ 16 URL-safe characters",
    doc: "The fleet token: what senders are asked with (unless they have their own) and what this node's sender routes take; also the dashboard login while `dashboard.token` is unset. Make one with `hwm token`.",
  },
  { key: "token_file", value: "path", doc: "Read the token from this file instead (not both)." },
  {
    key: "interval_ms",
    value: "100 – 3600000; default 1000",
    doc: "How often a receiver polls while someone watches.",
  },
  {
    key: "max_message_bytes",
    value: "65536 – 67108864; default 1048576 (1 MiB)",
    doc: "The largest answer a receiver takes from a sender; a sender that sends more is closed and shows as incompatible. One cap for all senders: it bounds the receiver's own memory.",
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
    key: "dashboard.token",
    value: "string, ≥ 16 URL-safe characters; default: the fleet token",
    doc: "The receiver's own login secret: what the web login, `hwm tui` and programs reading `/api/v1/hosts`, `/api/v1/live`, history, alerts and the receiver's `/metrics` present. Not the fleet token, which every sender knows. Make one with `hwm token`.",
  },
  {
    key: "dashboard.token_file",
    value: "path",
    doc: "Read that secret from this file instead (not both).",
  },
  {
    key: "dashboard.session_lifetime",
    value: 'duration, "1m" – "400d"; default "30d"',
    doc: "A browser session ends this long after its login, however much it is used (sessions survive restarts, in the state directory).",
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
    doc: "Keep history: poll every sender at `history.interval_ms` even while nobody watches, and record it (backend sqlite), or read it from Prometheus (backend prometheus).",
  },
  {
    key: "history.interval_ms",
    value: "100 – 3600000; default 10000",
    doc: "How often hosts are polled and recorded while nobody watches (also the pace of alert rules).",
  },
  {
    key: "history.backend",
    value: '"sqlite" \\| "prometheus"; default "sqlite"',
    doc: "sqlite: an embedded file this receiver writes; prometheus: read from a Prometheus-compatible query API that scrapes the senders.",
  },
  {
    key: "history.path",
    value: "path; default: the state directory",
    doc: "The SQLite file (`$STATE_DIRECTORY/history.db` under systemd, else `$XDG_STATE_HOME/hwm/history.db`, else `~/.local/state/hwm/history.db`).",
  },
  {
    key: "history.raw_retention",
    value: 'duration; default "1h"',
    doc: "How long every recorded point is kept.",
  },
  {
    key: "history.rollups[].step",
    value: 'duration; default "1m", "10m", "1h"',
    doc: "A coarser tier: the mean and maximum of each step; each step a multiple of the one before.",
  },
  {
    key: "history.rollups[].retention",
    value: 'duration; default "24h", "7d", "90d"',
    doc: "How long that tier is kept.",
  },
  {
    key: "history.url",
    value: "http(s) URL",
    doc: 'backend prometheus: the query API, e.g. "http://prometheus:9090" (VictoriaMetrics too).',
  },
  {
    key: "history.token_file",
    value: "path",
    doc: "backend prometheus: a bearer token for the query API.",
  },
  {
    key: "history.label",
    value: '"instance" \\| "host"; default "instance"',
    doc: "backend prometheus: how hosts are told apart: `instance` when Prometheus scrapes the senders (matched to each sender's host:port), `host` when it scrapes this receiver's /metrics.",
  },
  { key: "notifiers[].name", value: "string", doc: "Name that alerts refer to." },
  {
    key: "notifiers[].type",
    value: '"webhook" \\| "ntfy" \\| "discord" \\| "slack" \\| "gotify" \\| "alertmanager"',
    doc: "How to notify (slack also fits Mattermost and Rocket.Chat).",
  },
  {
    key: "notifiers[].url",
    value: "http(s) URL",
    doc: "Where to send: the webhook, the ntfy topic, the Gotify server, Alertmanager's base URL.",
  },
  {
    key: "notifiers[].token",
    value: "string",
    doc: "Bearer token (webhook, ntfy, alertmanager) or application token (gotify); not for discord/slack.",
  },
  { key: "notifiers[].token_file", value: "path", doc: "Read that token from this file instead." },
  { key: "alerts[].name", value: "string", doc: "Alert rule name; unique." },
  {
    key: "alerts[].when",
    value: 'condition, e.g. "cpu.total_pct > 90"',
    doc: "A metric compared with a number (`>`, `>=`, `<`, `<=`, `==`, `!=`; `[*]` for every disk, interface, …), or `host offline`, or `reboot`. Metric names: docs/HISTORY.md.",
  },
  {
    key: "alerts[].for",
    value: 'duration, e.g. "30s", "5m"; default 0',
    doc: "How long the condition must hold before the alert fires.",
  },
  {
    key: "alerts[].repeat",
    value: "duration; default: never",
    doc: "Notify again at this pace while the alert keeps firing.",
  },
  {
    key: "alerts[].hosts",
    value: 'list of host ids or patterns; default ["*"]',
    doc: 'Which hosts the rule watches; `*` matches any characters ("pve-*").',
  },
  { key: "alerts[].notify", value: "list of notifier names", doc: "Who is told." },
  {
    key: "alerts[].silence",
    value: 'list of "[days ]HH:MM-HH:MM"',
    doc: 'Local-time windows when nobody is notified ("02:00-04:00", "Sat-Sun 00:00-24:00").',
  },
  {
    key: "health.enabled",
    value: "true \\| false; default true",
    doc: "Sender: answer the `health` section (S.M.A.R.T., ZFS, mdraid, failed systemd units; see docs/HEALTH.md). Off: the section is null with a reason.",
  },
  {
    key: "health.max_age",
    value: 'duration, "30s" – "1d"; default "5m"',
    doc: "Sender: a health reading is served this long; a request after that starts the next one in the background (it never waits for it).",
  },
  {
    key: "health.tool_timeout",
    value: 'duration, "1s" – "5m"; default "10s"',
    doc: 'Sender: each smartctl (one per disk), zpool or systemctl run is killed after this; the source then reads "not available: … timed out".',
  },
  {
    key: "custom.textfile_dir",
    value: "path (a directory)",
    doc: "Sender: read every `*.prom` file there (node_exporter's textfile format) into the `custom` section and `/metrics`; see docs/CUSTOM_METRICS.md.",
  },
];

export function renderReference(): string {
  const rows = CONFIG_REFERENCE.map((k) => `| \`${k.key}\` | ${k.value} | ${k.doc} |`);
  return ["| key | value | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}
