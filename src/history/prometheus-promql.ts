// The metric catalog in PromQL over the names hwm exports on /metrics: one table, and the query
// that answers one metric for many hosts at one step.
import type { Aggregate } from "./backend.ts";
import { METRIC_FAMILIES, type MetricFamily } from "./metrics.ts";

/**
 * Rates and per-step aggregates look back at least this far: four scrapes at a 15 s interval,
 * so a rate still has two samples after a missed scrape, and a step shorter than the scrape
 * interval never comes out empty. Below this, a step shows a trailing one-minute mean.
 */
export const MIN_WINDOW_MS = 60_000;
/** A subquery evaluates its expression about this many times per window. */
const SUBSTEPS_PER_WINDOW = 20;

/** How a keyed family's key is found in Prometheus. */
type KeySpec =
  /** In labels; several are joined with "/" (sensors: chip/sensor, as sensorKey() does). */
  | { labels: readonly string[] }
  /** In the metric name (cpu.load[1m] is hwm_load1); [*] sets `label` to the key. */
  | { names: Readonly<Record<string, string>>; label: string };

/** An instant expression over selectors that carry the host and key matchers. */
type Build = (b: Builder) => string;

type Translation =
  /** A gauge, optionally scaled into the family's unit ("100 * x" for a ratio). */
  | { kind: "gauge"; metric: string; match?: Labels; key?: KeySpec; scale?: Scale }
  /** A counter's rate: a mean over the window, never the exporter's own _per_second gauge. */
  | { kind: "rate"; metric: string; key: KeySpec }
  /** Computed from several gauges: per-step mean or maximum of the result, by a subquery. */
  | { kind: "computed"; key?: KeySpec; expr: Build }
  /** The largest of a host's gauges at each instant (the hottest sensor). */
  | { kind: "hostMax"; metric: string };

type Labels = Readonly<Record<string, string>>;
type Scale = "pct" | "mhz";

/**
 * Every family of src/history/metrics.ts. A family missing here (or one that cannot be expressed)
 * answers no series rather than a wrong one; a unit test holds the two lists together.
 */
export const TRANSLATIONS: Readonly<Record<string, Translation>> = {
  uptime_s: { kind: "gauge", metric: "hwm_uptime_seconds" },
  "cpu.total_pct": { kind: "gauge", metric: "hwm_cpu_usage_ratio", scale: "pct" },
  "cpu.user_pct": mode("user"),
  "cpu.system_pct": mode("system"),
  "cpu.iowait_pct": mode("iowait"),
  "cpu.steal_pct": mode("steal"),
  "cpu.freq_mhz": { kind: "gauge", metric: "hwm_cpu_frequency_hertz", scale: "mhz" },
  "cpu.cores_pct[]": {
    kind: "gauge",
    metric: "hwm_cpu_core_usage_ratio",
    key: { labels: ["core"] },
    scale: "pct",
  },
  "cpu.load[]": {
    kind: "gauge",
    // Replaced by the key's own metric; no query ever uses this one as it stands.
    metric: "hwm_load1",
    key: { names: { "1m": "hwm_load1", "5m": "hwm_load5", "15m": "hwm_load15" }, label: "load" },
  },
  "memory.total_bytes": { kind: "gauge", metric: "hwm_memory_total_bytes" },
  "memory.used_bytes": { kind: "gauge", metric: "hwm_memory_used_bytes" },
  "memory.available_bytes": { kind: "gauge", metric: "hwm_memory_available_bytes" },
  "memory.cached_bytes": { kind: "gauge", metric: "hwm_memory_cached_bytes" },
  "memory.used_pct": {
    kind: "computed",
    expr: (b) => `100 * ${b.avg("hwm_memory_used_bytes")} / ${b.avg("hwm_memory_total_bytes")}`,
  },
  "memory.swap_total_bytes": { kind: "gauge", metric: "hwm_swap_total_bytes" },
  "memory.swap_used_bytes": { kind: "gauge", metric: "hwm_swap_used_bytes" },
  "memory.swap_used_pct": {
    kind: "computed",
    expr: (b) => `100 * ${b.avg("hwm_swap_used_bytes")} / ${b.avg("hwm_swap_total_bytes")}`,
  },
  "disks[].used_bytes": { kind: "gauge", metric: "hwm_filesystem_used_bytes", key: mount() },
  "disks[].total_bytes": { kind: "gauge", metric: "hwm_filesystem_size_bytes", key: mount() },
  "disks[].used_pct": { kind: "computed", key: mount(), expr: diskUsedPct },
  "disks.max_used_pct": {
    kind: "computed",
    expr: (b) => `max by (${b.hostLabel}) (${diskUsedPct(b.groupedBy(["mount"]))})`,
  },
  "disk_io[].read_bps": { kind: "rate", metric: "hwm_disk_read_bytes_total", key: device() },
  "disk_io[].write_bps": { kind: "rate", metric: "hwm_disk_written_bytes_total", key: device() },
  "disk_io[].busy_pct": {
    // hwm exports no busy-time counter: the gauge is the sender's own rate over its last sample.
    kind: "gauge",
    metric: "hwm_disk_busy_ratio",
    key: device(),
    scale: "pct",
  },
  "network[].rx_bps": {
    kind: "rate",
    metric: "hwm_network_receive_bytes_total",
    key: { labels: ["iface"] },
  },
  "network[].tx_bps": {
    kind: "rate",
    metric: "hwm_network_transmit_bytes_total",
    key: { labels: ["iface"] },
  },
  "sensors[].celsius": {
    kind: "gauge",
    metric: "hwm_sensor_temperature_celsius",
    key: { labels: ["chip", "sensor"] },
  },
  "sensors.max_celsius": { kind: "hostMax", metric: "hwm_sensor_temperature_celsius" },
  "gpus[].util_pct": {
    kind: "gauge",
    metric: "hwm_gpu_utilization_ratio",
    key: gpu(),
    scale: "pct",
  },
  "gpus[].mem_used_bytes": { kind: "gauge", metric: "hwm_gpu_memory_used_bytes", key: gpu() },
  "gpus[].celsius": { kind: "gauge", metric: "hwm_gpu_temperature_celsius", key: gpu() },
  "gpus[].power_watts": { kind: "gauge", metric: "hwm_gpu_power_watts", key: gpu() },
  // cpu_pct is percent of one core: the exported cores kept busy, times 100.
  "guests[].cpu_pct": {
    kind: "gauge",
    metric: "hwm_guest_cpu_usage_cores",
    key: { labels: ["id"] },
    scale: "pct",
  },
  "guests[].mem_used_bytes": {
    kind: "gauge",
    metric: "hwm_guest_memory_used_bytes",
    key: { labels: ["id"] },
  },
  // A container without a name (exported as name="") is not found by its short id here.
  "containers[].cpu_pct": {
    kind: "gauge",
    metric: "hwm_container_cpu_usage_cores",
    key: { labels: ["name"] },
    scale: "pct",
  },
  "containers[].mem_used_bytes": {
    kind: "gauge",
    metric: "hwm_container_memory_used_bytes",
    key: { labels: ["name"] },
  },
  "health.disks[].ok": { kind: "gauge", metric: "hwm_smart_ok", key: { labels: ["device"] } },
  "health.failed_units": { kind: "gauge", metric: "hwm_systemd_units_failed" },
};

function mode(name: string): Translation {
  return { kind: "gauge", metric: "hwm_cpu_mode_ratio", match: { mode: name }, scale: "pct" };
}
function mount(): KeySpec {
  return { labels: ["mount"] };
}
function device(): KeySpec {
  return { labels: ["device"] };
}
function gpu(): KeySpec {
  return { labels: ["gpu"] };
}

/** df's percentage: used / (used + available), so reserved blocks count as full. */
function diskUsedPct(b: Builder): string {
  const used = b.avg("hwm_filesystem_used_bytes");
  return `100 * ${used} / (${used} + ${b.avg("hwm_filesystem_available_bytes")})`;
}

/** Families of the catalog that have no translation: they answer no series. */
export function untranslatedFamilies(): string[] {
  return METRIC_FAMILIES.filter((f) => TRANSLATIONS[f.name] === undefined).map((f) => f.name);
}

// --- escaping ---

/** A PromQL string literal: backslashes, quotes and control characters escaped. */
export function promString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\\" || char === '"') out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += char;
  }
  return `${out}"`;
}

/** The value as an RE2 pattern that matches only itself. */
export function re2Literal(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

// --- building ---

export interface QueryShape {
  /** The label that tells hosts apart. */
  hostLabel: "instance" | "host";
  /** Its values for the hosts asked: one gives `=`, several one `=~` alternation. */
  hostValues: readonly string[];
  /** null: a family without key; "*": every key, one series each; else that key. */
  key: string | null;
  agg: Aggregate;
  stepMs: number;
}

export interface BuiltQuery {
  promql: string;
  /**
   * The labels of each result series that make its key, joined with "/"; empty when the series
   * names are fixed (a family without key, or a concrete key).
   */
  keyLabels: readonly string[];
}

interface Builder {
  readonly hostLabel: string;
  /** `avg by (host[, key labels]) (metric{host and key matchers})`: duplicates collapsed. */
  avg(metric: string): string;
  /** The same builder grouping by more labels (a maximum over a host's disks). */
  groupedBy(labels: readonly string[]): Builder;
}

/** Milliseconds as a PromQL duration ("60s", "1500ms"). */
export function promDuration(ms: number): string {
  const whole = Math.max(1, Math.round(ms));
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${whole}ms`;
}

function matchers(labels: Labels): string[] {
  return Object.entries(labels).map(([name, value]) => `${name}=${promString(value)}`);
}

function hostMatcher(shape: QueryShape): string {
  const [only] = shape.hostValues;
  if (shape.hostValues.length === 1 && only !== undefined) {
    return `${shape.hostLabel}=${promString(only)}`;
  }
  const alternation = shape.hostValues.map(re2Literal).join("|");
  return `${shape.hostLabel}=~${promString(alternation)}`;
}

function scaled(expr: string, scale: Scale | undefined): string {
  if (scale === "pct") return `100 * ${expr}`;
  if (scale === "mhz") return `${expr} / 1e6`;
  return expr;
}

/**
 * The query for one family, key and aggregate over the hosts asked, or null when there can be no
 * series (a family without translation, a key that cannot exist).
 */
export function buildQuery(family: MetricFamily, shape: QueryShape): BuiltQuery | null {
  const t = TRANSLATIONS[family.name];
  if (t === undefined || shape.hostValues.length === 0) return null;
  const keySpec = "key" in t ? t.key : undefined;
  if ((keySpec === undefined) !== (shape.key === null)) return null;

  const windowMs = Math.max(shape.stepMs, MIN_WINDOW_MS);
  // Whole seconds, at most SUBSTEPS_PER_WINDOW evaluations per point: a year stays affordable.
  const resolutionMs = Math.ceil(windowMs / SUBSTEPS_PER_WINDOW / 1000) * 1000;
  const ctx: Ctx = {
    host: hostMatcher(shape),
    hostLabel: shape.hostLabel,
    window: promDuration(windowMs),
    subquery: `[${promDuration(windowMs)}:${promDuration(resolutionMs)}]`,
    rateWindow: promDuration(Math.max(MIN_WINDOW_MS, resolutionMs)),
    agg: shape.agg,
  };

  if (keySpec === undefined || shape.key === null) {
    return { promql: expression(t, ctx, {}, []), keyLabels: [] };
  }
  if ("names" in keySpec) {
    if (t.kind !== "gauge") return null;
    if (shape.key !== "*") {
      const metric = keySpec.names[shape.key];
      return metric === undefined
        ? null
        : { promql: expression({ ...t, metric }, ctx, {}, []), keyLabels: [] };
    }
    // One request for every key: each name's series labelled with its key, then joined.
    const parts = Object.entries(keySpec.names).map(
      ([key, metric]) =>
        `label_replace(${expression({ ...t, metric }, ctx, {}, [])}, ${promString(keySpec.label)}, ${promString(key)}, "__name__", ".*")`,
    );
    return { promql: parts.join(" or "), keyLabels: [keySpec.label] };
  }
  if (shape.key === "*") {
    return { promql: expression(t, ctx, {}, keySpec.labels), keyLabels: keySpec.labels };
  }
  const values = splitKey(shape.key, keySpec.labels.length);
  if (values === null) return null;
  const match = Object.fromEntries(keySpec.labels.map((label, i) => [label, values[i] ?? ""]));
  return { promql: expression(t, ctx, match, []), keyLabels: [] };
}

/**
 * "coretemp/Package id 0" → ["coretemp", "Package id 0"]: the first parts end at the first "/"
 * (chip names have none), the last takes the rest. null when a part would be empty.
 */
function splitKey(key: string, parts: number): string[] | null {
  const out: string[] = [];
  let rest = key;
  for (let i = 1; i < parts; i++) {
    const slash = rest.indexOf("/");
    if (slash < 0) return null;
    out.push(rest.slice(0, slash));
    rest = rest.slice(slash + 1);
  }
  out.push(rest);
  return out.every((p) => p !== "") ? out : null;
}

interface Ctx {
  host: string;
  hostLabel: string;
  /** max(step, MIN_WINDOW_MS): what one point covers. */
  window: string;
  /** "[window:resolution]" for subqueries. */
  subquery: string;
  /** The rate window inside a subquery: covers its resolution, and at least MIN_WINDOW_MS. */
  rateWindow: string;
  agg: Aggregate;
}

function expression(
  t: Translation,
  ctx: Ctx,
  keyMatch: Labels,
  groupLabels: readonly string[],
): string {
  const selector = (metric: string, extra: Labels = {}) =>
    `${metric}{${[ctx.host, ...matchers(extra), ...matchers(keyMatch)].join(", ")}}`;
  const by = `by (${[ctx.hostLabel, ...groupLabels].join(", ")})`;
  // Several jobs may scrape one target: series that differ only in other labels are one series.
  const outer = ctx.agg === "max" ? "max" : "avg";
  const overTime = `${ctx.agg}_over_time`;

  switch (t.kind) {
    case "gauge":
      return scaled(
        `${outer} ${by} (${overTime}(${selector(t.metric, t.match)}[${ctx.window}]))`,
        t.scale,
      );
    case "rate":
      return ctx.agg === "max"
        ? `max ${by} (max_over_time(rate(${selector(t.metric)}[${ctx.rateWindow}])${ctx.subquery}))`
        : `avg ${by} (rate(${selector(t.metric)}[${ctx.window}]))`;
    case "computed": {
      const builder = (labels: readonly string[]): Builder => ({
        hostLabel: ctx.hostLabel,
        avg: (metric) => `avg by (${[ctx.hostLabel, ...labels].join(", ")}) (${selector(metric)})`,
        groupedBy: (more) => builder([...labels, ...more]),
      });
      return `${overTime}((${t.expr(builder(groupLabels))})${ctx.subquery})`;
    }
    case "hostMax":
      // The maximum of maxima is exact; the mean of the hottest needs the instants, so a subquery.
      return ctx.agg === "max"
        ? `max ${by} (max_over_time(${selector(t.metric)}[${ctx.window}]))`
        : `avg_over_time((max ${by} (${selector(t.metric)}))${ctx.subquery})`;
  }
}
