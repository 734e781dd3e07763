/** @jsxImportSource preact */
// The host page's charts: CPU, memory, network, disk I/O, temperatures, each drawn from columns
// named by metric ("cpu.total_pct", "network[eth0].rx_bps") — the session's or the history's.
// The network chart draws the host's total and its busiest interfaces (network-lines.ts), in
// blue and out in amber, one dash pattern per interface.
import { type Columns, columnOf, columnSum, keysOf, withKey } from "../../client/columns.ts";
import { networkLines } from "../../client/network-lines.ts";
import type { Snapshot } from "../../protocol/index.ts";
import { Chart, type ChartLine } from "./chart.tsx";

/** What the charts draw, as the history routes name it (each [*] is every key). */
export const CHART_METRICS = [
  "cpu.total_pct",
  "cpu.user_pct",
  "cpu.system_pct",
  "cpu.iowait_pct",
  "memory.used_bytes",
  "memory.cached_bytes",
  "memory.swap_used_bytes",
  "network[*].rx_bps",
  "network[*].tx_bps",
  "disk_io[*].read_bps",
  "disk_io[*].write_bps",
  "sensors[*].celsius",
];

/** Disk devices drawn: the busiest. */
const MAX_KEYS = 4;
const MAX_SENSORS = 8;

/**
 * The busiest keys, at most `max`: ranked by lifetime totals when the host reports them (they
 * rank stably), else by what they carried in the window.
 */
function topKeys(
  columns: Columns,
  family: string,
  totals: ReadonlyMap<string, number>,
  max: number,
): string[] {
  return keysOf(columns, family)
    .map((key) => ({
      key,
      total: totals.get(key) ?? -1,
      sum: columnSum(columnOf(columns, withKey(family, key))),
    }))
    .sort((a, b) => b.total - a.total || b.sum - a.sum || a.key.localeCompare(b.key))
    .slice(0, max)
    .map((k) => k.key)
    .sort();
}

function pairLines(
  columns: Columns,
  keys: string[],
  a: [string, string],
  b: [string, string],
): ChartLine[] {
  return keys.flatMap((key, i) => [
    { label: `${key} ${a[1]}`, values: columnOf(columns, withKey(a[0], key)), color: i },
    { label: `${key} ${b[1]}`, values: columnOf(columns, withKey(b[0], key)), color: i, dash: 1 },
  ]);
}

/** In and out of the network chart: whatever the interface, in is blue and out amber. */
const DIRECTIONS = [
  { family: "network[].rx_bps", arrow: "↓", color: 0 },
  { family: "network[].tx_bps", arrow: "↑", color: 1 },
] as const;

/** The total (solid, heavier), then each busy interface in a dash pattern of its own. */
function networkChartLines(columns: Columns, snapshot: Snapshot | null): ChartLine[] {
  const totals = snapshot?.network
    ? new Map(snapshot.network.map((n) => [n.iface, n.rx_total_bytes + n.tx_total_bytes]))
    : null;
  const net = networkLines(columns, totals);
  if (net.counted.length === 0) return [];
  const [rx, tx] = DIRECTIONS;
  return [
    { label: "total ↓ in", values: net.totalRx, color: rx.color, width: 2 },
    { label: "total ↑ out", values: net.totalTx, color: tx.color, width: 2 },
    ...net.ifaces.flatMap((key, i) =>
      DIRECTIONS.map((d) => ({
        label: `${key} ${d.arrow}`,
        values: columnOf(columns, withKey(d.family, key)),
        color: d.color,
        dash: i + 1,
        width: 1.25,
      })),
    ),
  ];
}

export interface ChartsProps {
  columns: Columns;
  snapshot: Snapshot | null;
  /** The time the charts span (ms); null: the data's own extent. */
  windowMs: { fromMs: number; toMs: number } | null;
  /** A window dragged across any chart (ms); null: no zoom. */
  onZoom: ((fromMs: number, toMs: number) => void) | null;
  /** Said by a chart with nothing to draw. */
  empty: string;
}

export function Charts({ columns, snapshot, windowMs, onZoom, empty }: ChartsProps) {
  const times = columns.timesMs.map((ms) => ms / 1000);
  const window: [number, number] | null = windowMs
    ? [windowMs.fromMs / 1000, windowMs.toMs / 1000]
    : null;
  const onSelect = onZoom ? (fromS: number, toS: number) => onZoom(fromS * 1000, toS * 1000) : null;
  const common = { times, window, onSelect, empty };
  const devices = topKeys(
    columns,
    "disk_io[].read_bps",
    new Map(
      (snapshot?.disk_io ?? []).map((d) => [d.device, d.read_total_bytes + d.write_total_bytes]),
    ),
    MAX_KEYS,
  );
  const sensors = keysOf(columns, "sensors[].celsius").sort().slice(0, MAX_SENSORS);
  const iowait = columnOf(columns, "cpu.iowait_pct");
  const hasIowait = snapshot?.cpu?.iowait_pct != null || iowait.some((v) => v != null);
  return (
    // The count picks how many charts share a row (styles.css), so that no row is left half empty.
    <section class="charts" aria-label="Charts" data-count={sensors.length > 0 ? 5 : 4}>
      <Chart
        {...common}
        title="CPU"
        unit="percent"
        fixedMax={100}
        lines={[
          { label: "total", values: columnOf(columns, "cpu.total_pct"), color: 0 },
          { label: "user", values: columnOf(columns, "cpu.user_pct"), color: 2, dash: 1 },
          { label: "system", values: columnOf(columns, "cpu.system_pct"), color: 3, dash: 1 },
          ...(hasIowait ? [{ label: "iowait", values: iowait, color: 1, dash: 1 }] : []),
        ]}
      />
      <Chart
        {...common}
        title="Memory"
        unit="bytes"
        lines={[
          { label: "used", values: columnOf(columns, "memory.used_bytes"), color: 0 },
          {
            label: "cached",
            values: columnOf(columns, "memory.cached_bytes"),
            color: 2,
            dash: 1,
          },
          { label: "swap used", values: columnOf(columns, "memory.swap_used_bytes"), color: 3 },
        ]}
      />
      <Chart
        {...common}
        title="Network (bytes per second)"
        unit="rate"
        lines={networkChartLines(columns, snapshot)}
      />
      <Chart
        {...common}
        title="Disk I/O (bytes per second)"
        unit="rate"
        lines={pairLines(
          columns,
          devices,
          ["disk_io[].read_bps", "read"],
          ["disk_io[].write_bps", "write"],
        )}
      />
      {sensors.length > 0 && (
        <Chart
          {...common}
          title="Temperatures"
          unit="celsius"
          lines={sensors.map((key, i) => ({
            label: key,
            values: columnOf(columns, withKey("sensors[].celsius", key)),
            color: i,
          }))}
        />
      )}
    </section>
  );
}
