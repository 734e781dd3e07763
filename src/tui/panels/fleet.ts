// Fleet table: one row per host with status (and last seen for hosts that went away, and a red
// "▲N" for N firing alerts), CPU, memory, fullest disk, network, hottest sensor and uptime; more
// columns on wide terminals.

import type { HostState } from "../../protocol/index.ts";
import {
  formatAgo,
  formatBytesShort,
  formatCelsius,
  formatDuration,
  formatPct,
  UNKNOWN,
} from "../format.ts";
import {
  fit,
  fitLine,
  type Line,
  levelColor,
  type Segment,
  seg,
  sparkline,
  truncate,
  width,
} from "../text.ts";
import { COLORS, STATUS_STYLE } from "../theme.ts";
import { diskPct } from "./disks.ts";
import type { PanelContent, Size } from "./panel.ts";
import { hottest, sensorColor } from "./sensors.ts";

export interface FleetInput {
  hosts: readonly HostState[];
  /** All hosts before the filter, for the title. */
  fleetSize: number;
  selectedId: string | null;
  offset: number;
  filter: string;
  nowMs: number;
  /** The host's CPU graph for this many columns, one per live interval. */
  cpuHistory(id: string, columns: number): readonly (number | null)[];
}

export interface FleetContent extends PanelContent {
  /** The host id of each line (null for the header). */
  rowIds: (string | null)[];
  visibleRows: number;
}

interface Column {
  header: string;
  width: number;
  align: "left" | "right";
  cell(host: HostState, input: FleetInput): Segment | Line;
}

/** Values that only mean something while the host answers. */
function live(host: HostState): boolean {
  return host.status === "online" || host.status === "stale";
}

function fullestDisk(host: HostState): { pct: number; mount: string } | null {
  let top: { pct: number; mount: string } | null = null;
  for (const disk of host.snapshot?.disks ?? []) {
    const pct = diskPct(disk);
    if (pct !== null && (!top || pct > top.pct)) top = { pct, mount: disk.mount };
  }
  return top;
}

function netRates(host: HostState): { rx: number; tx: number } | null {
  const ifaces = host.snapshot?.network;
  if (!ifaces) return null;
  let rx = 0;
  let tx = 0;
  for (const n of ifaces) {
    rx += n.rx_bps ?? 0;
    tx += n.tx_bps ?? 0;
  }
  return { rx, tx };
}

const STATUS_WIDTH = 14;

/** "● online", "○ offline 3m"; with firing alerts "● online ▲2", the count kept over the rest. */
function statusCell(host: HostState, input: FleetInput): Line {
  const style = STATUS_STYLE[host.status];
  // "offline 3m": how long ago it was last seen; nothing when it never was.
  const seen =
    host.status !== "offline" || host.last_seen_ms === null
      ? ""
      : ` ${formatAgo(host.last_seen_ms, input.nowMs).replace(" ago", "")}`;
  const base = `${style.mark} ${host.status}`;
  const firing = host.alerts?.length ?? 0;
  if (firing === 0) return [seg(base + seen, style.color)];
  const mark = ` ▲${firing}`;
  const room = STATUS_WIDTH - width(mark);
  const text = width(base + seen) <= room ? base + seen : truncate(base, room);
  return [seg(text, style.color), seg(mark, COLORS.bad, true)];
}

const HOST: Column = {
  header: "HOST",
  width: 12,
  align: "left",
  cell: (h) => seg(h.id, undefined, true),
};
const STATUS: Column = { header: "STATUS", width: STATUS_WIDTH, align: "left", cell: statusCell };
const CPU: Column = {
  header: "CPU",
  width: 5,
  align: "right",
  cell: (h) => {
    const pct = live(h) ? h.snapshot?.cpu?.total_pct : null;
    return seg(formatPct(pct), levelColor(pct));
  },
};
const CPU_HISTORY: Column = {
  header: "CPU HISTORY",
  width: 14,
  align: "left",
  cell: (h, input) => seg(sparkline(input.cpuHistory(h.id, 14), 14, 100), COLORS.accent),
};
const MEM: Column = {
  header: "MEM",
  width: 5,
  align: "right",
  cell: (h) => {
    const m = live(h) ? h.snapshot?.memory : null;
    const pct = m && m.total_bytes > 0 ? (m.used_bytes / m.total_bytes) * 100 : null;
    return seg(formatPct(pct), levelColor(pct));
  },
};
const DISK: Column = {
  header: "DISK",
  width: 5,
  align: "right",
  cell: (h) => {
    const top = live(h) ? fullestDisk(h) : null;
    return seg(formatPct(top?.pct), levelColor(top?.pct));
  },
};
const DISK_WIDE: Column = {
  header: "FULLEST DISK",
  width: 18,
  align: "left",
  cell: (h) => {
    const top = live(h) ? fullestDisk(h) : null;
    return seg(
      top ? `${fit(formatPct(top.pct), 4, "right")} ${top.mount}` : UNKNOWN,
      levelColor(top?.pct),
    );
  },
};
const NET: Column = {
  header: "NET ↓/↑ B/s",
  width: 13,
  align: "left",
  cell: (h) => {
    const r = live(h) ? netRates(h) : null;
    return seg(r ? `↓${fit(formatBytesShort(r.rx), 5)} ↑${formatBytesShort(r.tx)}` : UNKNOWN);
  },
};
const TEMP: Column = {
  header: "TEMP",
  width: 5,
  align: "right",
  cell: (h) => {
    const top = live(h) ? hottest(h.snapshot?.sensors) : null;
    return seg(formatCelsius(top?.celsius), top ? sensorColor(top) : COLORS.dim);
  },
};
const UPTIME: Column = {
  header: "UPTIME",
  width: 7,
  align: "right",
  cell: (h) => seg(live(h) ? formatDuration(h.snapshot?.uptime_s) : UNKNOWN),
};
const OS: Column = {
  header: "OS",
  width: 20,
  align: "left",
  cell: (h) => seg(h.info ? `${h.info.os} ${h.info.arch}` : UNKNOWN, COLORS.dim),
};

/** The columns that fit: the narrow set, then wider variants and extras while room is left. */
function columnsFor(width: number, longestId: number): Column[] {
  const sum = (cols: Column[]) => cols.reduce((n, c) => n + c.width + 1, -1);
  let cols = [HOST, STATUS, CPU, MEM, DISK, NET, TEMP, UPTIME];
  const wide = [HOST, STATUS, CPU, CPU_HISTORY, MEM, DISK_WIDE, NET, TEMP, UPTIME];
  if (sum(wide) + 8 <= width) cols = wide;
  if (sum(cols) + OS.width + 1 + 8 <= width) cols = [...cols, OS];
  const spare = width - sum(cols);
  // The host name takes the spare room (up to 32 columns); with an OS column, only what the
  // longest id needs, and the OS the rest.
  const needed = cols.includes(OS) ? longestId + 1 - HOST.width : spare;
  const hostWidth = HOST.width + Math.max(0, Math.min(20, spare, needed));
  const out = cols.map((c) => (c === HOST ? { ...c, width: hostWidth } : c));
  const last = out[out.length - 1];
  if (last === OS) out[out.length - 1] = { ...OS, width: OS.width + Math.max(0, width - sum(out)) };
  return out;
}

export function fleetPanel(input: FleetInput, size: Size): FleetContent {
  const longestId = Math.max(0, ...input.hosts.map((h) => h.id.length));
  // Two columns for the selection mark, so that the selection shows without colour too.
  const columns = columnsFor(size.width - 2, longestId);
  const header: Line = [seg("  ")];
  columns.forEach((c, i) => {
    if (i > 0) header.push(seg(" "));
    header.push(seg(fit(c.header, c.width, c.align), COLORS.dim, true));
  });
  const online = input.hosts.filter((h) => h.status === "online").length;
  const alerting = input.hosts.filter((h) => (h.alerts?.length ?? 0) > 0).length;
  const title = [
    `fleet ${input.fleetSize} host${input.fleetSize === 1 ? "" : "s"}`,
    `${online} online`,
    ...(alerting > 0 ? [`▲ ${alerting} alerting`] : []),
    ...(input.filter ? [`filter "${input.filter}" ${input.hosts.length} shown`] : []),
  ].join(" · ");
  const visibleRows = Math.max(0, size.height - 1);
  const offset = Math.max(0, Math.min(input.offset, input.hosts.length - visibleRows));
  const lines: Line[] = [header];
  const rowIds: (string | null)[] = [null];
  let highlight: number | undefined;
  for (const host of input.hosts.slice(offset, offset + visibleRows)) {
    const selected = host.id === input.selectedId;
    const line: Line = [seg(selected ? "▸ " : "  ", COLORS.title, true)];
    columns.forEach((c, i) => {
      if (i > 0) line.push(seg(" "));
      const cell = c.cell(host, input);
      line.push(...fitLine(Array.isArray(cell) ? cell : [cell], c.width, c.align));
    });
    if (selected) highlight = lines.length;
    lines.push(line);
    rowIds.push(host.id);
  }
  if (input.hosts.length === 0) {
    lines.push([
      seg(input.filter ? `no host matches "${input.filter}"` : "no hosts configured", COLORS.dim),
    ]);
  }
  return { title, lines, rowIds, visibleRows, highlight };
}
