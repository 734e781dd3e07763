/** @jsxImportSource preact */
// The host page's tables of things it has several of: disks, disk I/O, network interfaces,
// temperature sensors, GPUs. A section the host cannot read shows "—".
import type { ComponentChildren } from "preact";
import {
  LIMITS,
  level,
  type Temperature as Reading,
  temperatureLevel,
} from "../../client/thresholds.ts";
import * as f from "../../client/units.ts";
import { diskUsedPct } from "../../history/metrics.ts";
import type { Disk, DiskIo, Gpu, NetworkIface, Sensor } from "../../protocol/index.ts";
import { type Column, SortableTable } from "./table.tsx";

/** As df counts it: used / (used + available), so the space reserved for root counts as full. */
const diskPct = (d: Disk) => diskUsedPct(d.used_bytes, d.available_bytes);

const DISKS: Column<Disk>[] = [
  { key: "mount", label: "Mount", value: (d) => d.mount },
  { key: "device", label: "Device", value: (d) => d.device, minor: true },
  { key: "fs", label: "FS", value: (d) => d.fs, minor: true },
  {
    key: "used",
    label: "Used",
    value: (d) => d.used_bytes,
    render: (d) => f.bytes(d.used_bytes),
    numeric: true,
  },
  {
    key: "total",
    label: "Size",
    value: (d) => d.total_bytes,
    render: (d) => f.bytes(d.total_bytes),
    numeric: true,
  },
  {
    key: "pct",
    label: "Use",
    value: diskPct,
    numeric: true,
    render: (d) => {
      const p = diskPct(d);
      const lvl = level(p, LIMITS.diskPct);
      return (
        <span class={`lvl-${lvl}`}>
          {lvl === "bad" && <strong>FULL </strong>}
          {f.diskPct(p)}
        </span>
      );
    },
  },
];

const DISK_IO: Column<DiskIo>[] = [
  { key: "device", label: "Device", value: (d) => d.device },
  {
    key: "read",
    label: "Read",
    value: (d) => d.read_bps,
    render: (d) => f.rate(d.read_bps),
    numeric: true,
  },
  {
    key: "write",
    label: "Write",
    value: (d) => d.write_bps,
    render: (d) => f.rate(d.write_bps),
    numeric: true,
  },
  {
    key: "busy",
    label: "Busy",
    value: (d) => d.busy_pct,
    render: (d) => f.pct(d.busy_pct),
    numeric: true,
  },
];

const NETWORK: Column<NetworkIface>[] = [
  { key: "iface", label: "Interface", value: (n) => n.iface },
  {
    key: "rx",
    label: "Receive",
    value: (n) => n.rx_bps,
    render: (n) => f.rate(n.rx_bps),
    numeric: true,
  },
  {
    key: "tx",
    label: "Send",
    value: (n) => n.tx_bps,
    render: (n) => f.rate(n.tx_bps),
    numeric: true,
  },
  {
    key: "rx_total",
    label: "Received",
    minor: true,
    value: (n) => n.rx_total_bytes,
    render: (n) => f.bytes(n.rx_total_bytes),
    numeric: true,
  },
  {
    key: "tx_total",
    label: "Sent",
    minor: true,
    value: (n) => n.tx_total_bytes,
    render: (n) => f.bytes(n.tx_total_bytes),
    numeric: true,
  },
];

/** A reading against its own limits (the chip's, or the fixed ones for a GPU). */
function Temperature({ reading }: { reading: Reading | null }) {
  const lvl = temperatureLevel(reading);
  return (
    <span class={`lvl-${lvl}`}>
      {lvl === "bad" && <strong>HOT </strong>}
      {f.celsius(reading?.celsius)}
    </span>
  );
}

const SENSORS: Column<Sensor>[] = [
  { key: "label", label: "Sensor", value: (s) => s.label },
  { key: "chip", label: "Chip", value: (s) => s.chip },
  {
    key: "celsius",
    label: "Now",
    value: (s) => s.celsius,
    render: (s) => <Temperature reading={s} />,
    numeric: true,
  },
  {
    key: "max",
    label: "High",
    value: (s) => s.max_celsius,
    render: (s) => f.celsius(s.max_celsius),
    numeric: true,
  },
  {
    key: "crit",
    label: "Critical",
    value: (s) => s.crit_celsius,
    render: (s) => f.celsius(s.crit_celsius),
    numeric: true,
  },
];

const GPUS: Column<Gpu>[] = [
  { key: "name", label: "GPU", value: (g) => g.name },
  {
    key: "util",
    label: "Load",
    value: (g) => g.util_pct,
    render: (g) => f.pct(g.util_pct),
    numeric: true,
  },
  {
    key: "mem",
    label: "Memory",
    value: (g) => g.mem_used_bytes,
    render: (g) =>
      g.mem_used_bytes == null
        ? f.NONE
        : `${f.bytes(g.mem_used_bytes)} / ${f.bytes(g.mem_total_bytes)}`,
    numeric: true,
  },
  {
    key: "celsius",
    label: "Temp",
    value: (g) => g.celsius,
    render: (g) => <Temperature reading={g.celsius === null ? null : { celsius: g.celsius }} />,
    numeric: true,
  },
  {
    key: "power",
    label: "Power",
    value: (g) => g.power_watts,
    render: (g) => f.watts(g.power_watts),
    numeric: true,
  },
];

function Panel<Row>(props: {
  title: string;
  rows: Row[] | null | undefined;
  columns: Column<Row>[];
  rowKey: (row: Row) => string;
  empty: string;
  note?: ComponentChildren;
  /** Why there are no rows when the host is down (else: the host cannot read them). */
  missing?: string;
}) {
  return (
    <section class="panel">
      <h2>
        {props.title}
        {props.note && <span class="muted small"> · {props.note}</span>}
      </h2>
      {props.rows == null ? (
        <p class="muted">— ({props.missing ?? "cannot be read on this host"})</p>
      ) : props.rows.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <SortableTable
          label={props.title}
          columns={props.columns}
          rows={props.rows}
          rowKey={props.rowKey}
          testId={`table-${props.title}`}
        />
      )}
    </section>
  );
}

/** A panel's rows as the snapshot has them, and why there are none when the host is down. */
interface PanelRows<T> {
  rows: T[] | null | undefined;
  missing?: string;
}

export const DisksPanel = (p: PanelRows<Disk>) => (
  <Panel
    {...p}
    title="Disks"
    columns={DISKS}
    rowKey={(d) => d.mount}
    empty="No file systems."
    note="binary units (GiB)"
  />
);
export const DiskIoPanel = (p: PanelRows<DiskIo>) => (
  <Panel
    {...p}
    title="Disk I/O"
    columns={DISK_IO}
    rowKey={(d) => d.device}
    empty="No block devices."
    note="bytes per second"
  />
);
export const NetworkPanel = (p: PanelRows<NetworkIface>) => (
  <Panel
    {...p}
    title="Network"
    columns={NETWORK}
    rowKey={(n) => n.iface}
    empty="No interfaces."
    note="bytes per second"
  />
);
export const SensorsPanel = (p: PanelRows<Sensor>) => (
  <Panel
    {...p}
    title="Temperatures"
    columns={SENSORS}
    rowKey={(s) => `${s.chip}/${s.label}`}
    empty="No temperature sensors."
  />
);
export const GpusPanel = (p: PanelRows<Gpu>) => (
  <Panel {...p} title="GPUs" columns={GPUS} rowKey={(g) => g.name} empty="No GPU." />
);
