// Fleet table: one row per host in the chosen order (marked in its column's header and named in
// the title) with status (last seen for hosts that went away, a red "▲N" for N firing alerts),
// CPU, memory, fullest disk, network, hottest sensor and uptime, more columns on wide terminals;
// a host that cannot be read says why across the columns it has no values for.

import { FLEET_ORDERS, type FleetOrder } from "../../client/fleet-order.ts";
import type { HostSummary } from "../../client/summary.ts";
import { LIMITS } from "../../client/thresholds.ts";
import * as u from "../../client/units.ts";
import type { HostState } from "../../protocol/index.ts";
import {
  clean,
  fit,
  fitLine,
  type Line,
  levelColor,
  type Segment,
  seg,
  sparkline,
  temperatureColor,
  truncate,
  width,
} from "../text.ts";
import { COLORS, STATUS_STYLE } from "../theme.ts";
import type { PanelContent, Size } from "./panel.ts";
import { hottest } from "./sensors.ts";

export interface FleetInput {
  /** In the order to draw, after the filter. */
  rows: readonly FleetRow[];
  /** All hosts before the filter, for the title. */
  fleetSize: number;
  selectedId: string | null;
  offset: number;
  filter: string;
  order: FleetOrder;
  nowMs: number;
  /** While the link to the node is lost: when its data last came (else null). */
  datedSinceMs: number | null;
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
  /** The fleet order this column's values sort by: its header is marked when it is chosen. */
  order?: FleetOrder;
  cell(row: FleetRow, input: FleetInput): Segment | Line;
}

/** A host and what the dashboards make of it (client/summary.ts). */
export interface FleetRow {
  host: HostState;
  summary: HostSummary;
}

/** Values that only mean something while the host answers. */
function live(host: HostState): boolean {
  return host.status === "online" || host.status === "stale";
}

/** Every interface's rates together: what the host sends and receives. */
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
function statusCell({ host }: FleetRow, input: FleetInput): Line {
  // The link is lost: nobody knows what the host is now, only how old this row is.
  if (input.datedSinceMs !== null)
    return [seg(`◌ ${u.ago(input.datedSinceMs, input.nowMs)}`, COLORS.dim)];
  const style = STATUS_STYLE[host.status];
  // "offline 3m": how long ago it was last seen; nothing when it never was.
  const seen =
    host.status !== "offline" || host.last_seen_ms === null
      ? ""
      : ` ${u.ago(host.last_seen_ms, input.nowMs).replace(`${u.SP}ago`, "")}`;
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
  order: "name",
  cell: ({ host }) => seg(host.id, undefined, true),
};
const STATUS: Column = { header: "STATUS", width: STATUS_WIDTH, align: "left", cell: statusCell };
const CPU: Column = {
  header: "CPU",
  width: 5,
  align: "right",
  order: "cpu",
  cell: ({ host, summary }) => {
    const pct = live(host) ? summary.cpuPct : null;
    return seg(u.pct(pct), levelColor(pct, LIMITS.cpuPct));
  },
};
/** The CPU history's scale: 0 at the bottom of a block, 100 % at its top. */
const CPU_HISTORY: Column = {
  header: "CPU max 100%",
  width: 14,
  align: "left",
  cell: ({ host }, input) => seg(sparkline(input.cpuHistory(host.id, 14), 14, 100), COLORS.accent),
};
const MEM: Column = {
  header: "MEM",
  width: 5,
  align: "right",
  order: "memory",
  cell: ({ host, summary }) => {
    const pct = live(host) ? summary.memPct : null;
    return seg(u.pct(pct), levelColor(pct, LIMITS.memPct));
  },
};
const DISK: Column = {
  header: "DISK",
  width: 5,
  align: "right",
  order: "disk",
  cell: ({ host, summary }) => {
    const top = live(host) ? summary.disk : null;
    return seg(u.diskPct(top?.pct), levelColor(top?.pct, LIMITS.diskPct));
  },
};
const DISK_WIDE: Column = {
  header: "FULLEST DISK",
  width: 18,
  align: "left",
  order: "disk",
  cell: ({ host, summary }) => {
    const top = live(host) ? summary.disk : null;
    return seg(
      top ? `${fit(u.diskPct(top.pct), 4, "right")} ${top.mount}` : u.NONE,
      levelColor(top?.pct, LIMITS.diskPct),
    );
  },
};
const NET: Column = {
  header: "NET ↓/↑ B/s",
  width: 13,
  align: "left",
  order: "net",
  cell: ({ host }) => {
    const r = live(host) ? netRates(host) : null;
    return seg(r ? `↓${fit(u.bytesShort(r.rx), 5)} ↑${u.bytesShort(r.tx)}` : u.NONE);
  },
};
const TEMP: Column = {
  header: "TEMP",
  width: 5,
  align: "right",
  order: "temp",
  cell: ({ host }) => {
    const top = live(host) ? hottest(host.snapshot?.sensors) : null;
    return seg(u.celsius(top?.celsius), temperatureColor(top));
  },
};
const UPTIME: Column = {
  header: "UPTIME",
  width: 7,
  align: "right",
  cell: ({ host }) => seg(live(host) ? u.duration(host.snapshot?.uptime_s) : u.NONE),
};
const LOAD: Column = {
  header: "LOAD",
  width: 5,
  align: "right",
  cell: ({ host, summary }) => seg(u.loadAvg(live(host) ? summary.load?.avg1 : null)),
};
const GPU: Column = {
  header: "GPU",
  width: 5,
  align: "right",
  cell: ({ host, summary }) => {
    const pct = live(host) ? summary.gpu?.pct : null;
    return seg(summary.gpu ? u.pct(pct) : "", levelColor(pct, LIMITS.cpuPct));
  },
};
/** An OS name past this many columns says nothing more ("Debian GNU/Linux 12 (bookworm) x64"). */
const OS_MAX = 36;
const OS: Column = {
  header: "OS",
  width: 20,
  align: "left",
  cell: ({ host }) => seg(host.info ? `${host.info.os} ${host.info.arch}` : u.NONE, COLORS.dim),
};

/** The columns that fit: the narrow set, then wider variants and extras while room is left. */
function columnsFor(width: number, longestId: number, longestOs: number): Column[] {
  const sum = (cols: Column[]) => cols.reduce((n, c) => n + c.width + 1, -1);
  let cols = [HOST, STATUS, CPU, MEM, DISK, NET, TEMP, UPTIME];
  const wide = [HOST, STATUS, CPU, CPU_HISTORY, MEM, DISK_WIDE, NET, TEMP, UPTIME];
  if (sum(wide) + 8 <= width) cols = wide;
  const extras = [LOAD, GPU];
  if (sum(cols) + sum(extras) + 1 + 8 <= width) cols = [...cols.slice(0, -1), ...extras, UPTIME];
  if (sum(cols) + OS.width + 1 + 8 <= width) cols = [...cols, OS];
  const spare = width - sum(cols);
  // The host name takes the spare room (up to 32 columns); with an OS column, only what the
  // longest id needs, and the OS what its longest name needs (at most OS_MAX).
  const needed = cols.includes(OS) ? longestId + 1 - HOST.width : spare;
  const hostWidth = HOST.width + Math.max(0, Math.min(20, spare, needed));
  const out = cols.map((c) => (c === HOST ? { ...c, width: hostWidth } : c));
  const last = out[out.length - 1];
  if (last === OS) {
    const osWidth = Math.min(OS_MAX, Math.max(OS.width, longestOs));
    out[out.length - 1] = { ...OS, width: Math.min(osWidth, OS.width + width - sum(out)) };
  }
  return out;
}

/** Why a host that cannot be read is down, in the receiver's words (client/summary.ts). */
function downReason({ host, summary }: FleetRow): string | null {
  if (live(host)) return null;
  const problem = summary.problems.find((p) => p.label === host.status.toUpperCase());
  // The status cell says how long ago it was seen: the receiver's reason is what is left to say.
  return problem ? clean(problem.title ?? problem.detail) : null;
}

export function fleetPanel(input: FleetInput, size: Size): FleetContent {
  const hosts = input.rows.map((r) => r.host);
  const longestId = Math.max(0, ...hosts.map((h) => h.id.length));
  const longestOs = Math.max(
    0,
    ...hosts.map((h) => (h.info ? width(clean(`${h.info.os} ${h.info.arch}`)) : 0)),
  );
  // Two columns for the selection mark, so that the selection shows without colour too.
  const columns = columnsFor(size.width - 2, longestId, longestOs);
  const header: Line = [seg("  ")];
  columns.forEach((c, i) => {
    if (i > 0) header.push(seg(" "));
    // The chosen order's column: ▲ for names (A first), ▼ for numbers (largest first).
    const mark = c.order === input.order ? (c.order === "name" ? "▲" : "▼") : "";
    const chosen = mark !== "";
    header.push(
      seg(fit(`${c.header}${mark}`, c.width, c.align), chosen ? COLORS.title : COLORS.dim, true),
    );
  });
  const online = hosts.filter((h) => h.status === "online").length;
  const alerting = hosts.filter((h) => (h.alerts?.length ?? 0) > 0).length;
  const title = [
    `fleet ${input.fleetSize} host${input.fleetSize === 1 ? "" : "s"}`,
    `${online} online`,
    ...(alerting > 0 ? [`▲ ${alerting} alerting`] : []),
    ...(input.filter ? [`filter "${input.filter}" ${hosts.length} shown`] : []),
    `sort: ${FLEET_ORDERS[input.order].toLowerCase()} (s)`,
  ].join(" · ");
  const visibleRows = Math.max(0, size.height - 1);
  const offset = Math.max(0, Math.min(input.offset, hosts.length - visibleRows));
  const lines: Line[] = [header];
  const rowIds: (string | null)[] = [null];
  let highlight: number | undefined;
  for (const row of input.rows.slice(offset, offset + visibleRows)) {
    const { host } = row;
    const selected = host.id === input.selectedId;
    const line: Line = [seg(selected ? "▸ " : "  ", COLORS.title, true)];
    const reason = downReason(row);
    let x = 0;
    for (const [i, c] of columns.entries()) {
      if (i > 0) line.push(seg(" "));
      // Past its status, a host that cannot be read has no values: the row says why instead.
      if (reason !== null && i > columns.indexOf(STATUS)) {
        const rest = size.width - 2 - x - (i > 0 ? 1 : 0);
        line.push(...fitLine([seg(reason, STATUS_STYLE[host.status].color)], rest, "left"));
        break;
      }
      const cell = c.cell(row, input);
      line.push(...fitLine(Array.isArray(cell) ? cell : [cell], c.width, c.align));
      x += c.width + (i > 0 ? 1 : 0);
    }
    if (selected) highlight = lines.length;
    lines.push(line);
    rowIds.push(host.id);
  }
  if (hosts.length === 0) {
    lines.push([
      seg(input.filter ? `no host matches "${input.filter}"` : "no hosts configured", COLORS.dim),
    ]);
  }
  return { title, lines, rowIds, visibleRows, highlight };
}
