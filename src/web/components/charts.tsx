/** @jsxImportSource preact */
// The host page's charts of the session so far: CPU, memory, network, disk I/O, temperatures,
// each drawn from the host's bounded history in the store.
import type { Snapshot } from "../../protocol/index.ts";
import * as f from "../format.ts";
import type { Family, HostHistory } from "../history.ts";
import { Chart, type ChartLine } from "./chart.tsx";

/** Lines per chart family: a busy Proxmox host has dozens of taps; show the ones that matter. */
const MAX_KEYS = 4;
const MAX_SENSORS = 8;

/** The keys with the most traffic so far (lifetime totals rank stably), at most `max`. */
function topKeys(
  history: HostHistory,
  family: Family,
  ranked: [string, number][],
  max: number,
): string[] {
  const known = new Set(history.keys(family));
  return ranked
    .filter(([key]) => known.has(key))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([key]) => key)
    .sort();
}

function pairLines(
  history: HostHistory,
  keys: string[],
  a: [Family, string],
  b: [Family, string],
): ChartLine[] {
  return keys.flatMap((key, i) => [
    { label: `${key} ${a[1]}`, values: history.keyedSeries(a[0], key), color: i },
    { label: `${key} ${b[1]}`, values: history.keyedSeries(b[0], key), color: i, dashed: true },
  ]);
}

export function Charts({ history, snapshot }: { history: HostHistory; snapshot: Snapshot | null }) {
  const times = history.timesS();
  const ifaces = topKeys(
    history,
    "net_rx",
    (snapshot?.network ?? []).map((n) => [n.iface, n.rx_total_bytes + n.tx_total_bytes]),
    MAX_KEYS,
  );
  const devices = topKeys(
    history,
    "io_read",
    (snapshot?.disk_io ?? []).map((d) => [d.device, d.read_total_bytes + d.write_total_bytes]),
    MAX_KEYS,
  );
  const sensors = history.keys("temp").slice(0, MAX_SENSORS);
  const hasIowait = snapshot?.cpu?.iowait_pct != null;
  return (
    <section class="charts" aria-label="Charts of this session">
      <Chart
        title="CPU"
        times={times}
        range={[0, 100]}
        format={f.pct}
        lines={[
          { label: "total", values: history.series("cpu"), color: 0 },
          { label: "user", values: history.series("cpu_user"), color: 2, dashed: true },
          { label: "system", values: history.series("cpu_system"), color: 3, dashed: true },
          ...(hasIowait
            ? [{ label: "iowait", values: history.series("cpu_iowait"), color: 1, dashed: true }]
            : []),
        ]}
      />
      <Chart
        title="Memory"
        times={times}
        format={f.bytes}
        lines={[
          { label: "used", values: history.series("mem_used"), color: 0 },
          { label: "cached", values: history.series("mem_cached"), color: 2, dashed: true },
          { label: "swap used", values: history.series("swap_used"), color: 3 },
        ]}
      />
      <Chart
        title="Network (bits per second)"
        times={times}
        format={f.bitsPerSecond}
        lines={pairLines(history, ifaces, ["net_rx", "↓ in"], ["net_tx", "↑ out"])}
      />
      <Chart
        title="Disk I/O (bytes per second)"
        times={times}
        format={f.bytesPerSecond}
        lines={pairLines(history, devices, ["io_read", "read"], ["io_write", "write"])}
      />
      {sensors.length > 0 && (
        <Chart
          title="Temperatures"
          times={times}
          format={f.celsius}
          lines={sensors.map((key, i) => ({
            label: key,
            values: history.keyedSeries("temp", key),
            color: i,
          }))}
        />
      )}
    </section>
  );
}
