// Processes panel: the busiest processes as a table sortable by CPU, memory, PID or name (the
// header marks the order and tells where each column is, for mouse clicks), with a filter.

import { LIMITS } from "../../client/thresholds.ts";
import * as u from "../../client/units.ts";
import type { Processes, ProcessInfo } from "../../protocol/index.ts";
import { clean, fit, type Line, levelColor, seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import type { PanelContent, Size } from "./panel.ts";

export type SortKey = "cpu" | "mem" | "pid" | "name";
export interface ProcessSort {
  key: SortKey;
  descending: boolean;
}
export const SORT_KEYS: readonly SortKey[] = ["cpu", "mem", "pid", "name"];
/** The order a key starts in: the biggest first for numbers, A to Z for names and PIDs. */
export const DEFAULT_DESCENDING: Readonly<Record<SortKey, boolean>> = {
  cpu: true,
  mem: true,
  pid: false,
  name: false,
};

interface Column {
  key: SortKey | null;
  header: string;
  width: number;
  align: "left" | "right";
  cell(p: ProcessInfo): string;
}

/** A column's place in the panel's inner area, for turning a click into a sort key. */
export interface ColumnSpan {
  key: SortKey | null;
  start: number;
  end: number;
}

export interface ProcessesContent extends PanelContent {
  columns: ColumnSpan[];
  /** Data rows that fit under the header. */
  visibleRows: number;
  /** Rows after the filter. */
  total: number;
}

/** CPU % as the column shows it ("0.4%", "12%"): rows that read the same are tied. */
const shownCpu = (p: ProcessInfo) => Number.parseFloat(u.pct(p.cpu_pct));

/** Ties go to the other number (idle processes by memory), then to the PID. */
const compare: Record<SortKey, (a: ProcessInfo, b: ProcessInfo) => number> = {
  cpu: (a, b) => shownCpu(a) - shownCpu(b) || a.mem_bytes - b.mem_bytes || b.pid - a.pid,
  mem: (a, b) => a.mem_bytes - b.mem_bytes || a.cpu_pct - b.cpu_pct || b.pid - a.pid,
  pid: (a, b) => a.pid - b.pid,
  name: (a, b) => a.name.localeCompare(b.name) || a.pid - b.pid,
};

export function sortProcesses(list: readonly ProcessInfo[], sort: ProcessSort): ProcessInfo[] {
  const order = compare[sort.key];
  return [...list].sort((a, b) => (sort.descending ? order(b, a) : order(a, b)));
}

export function filterProcesses(list: readonly ProcessInfo[], filter: string): ProcessInfo[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) return [...list];
  return list.filter(
    (p) =>
      p.name.toLowerCase().includes(needle) ||
      p.user.toLowerCase().includes(needle) ||
      String(p.pid) === needle,
  );
}

function columnsFor(width: number): Column[] {
  const user = width >= 60 ? 10 : 8;
  const fixed: Column[] = [
    { key: "pid", header: "PID", width: 7, align: "right", cell: (p) => String(p.pid) },
    { key: null, header: "USER", width: user, align: "left", cell: (p) => clean(p.user) },
    { key: null, header: "S", width: 1, align: "left", cell: (p) => p.state },
    { key: "cpu", header: "CPU%", width: 6, align: "right", cell: (p) => u.pct(p.cpu_pct) },
    { key: "mem", header: "MEM", width: 9, align: "right", cell: (p) => u.bytes(p.mem_bytes) },
  ];
  const used = fixed.reduce((sum, c) => sum + c.width + 1, 0);
  return [
    ...fixed,
    {
      key: "name",
      header: "NAME",
      width: Math.max(4, width - used),
      align: "left",
      cell: (p) => clean(p.name),
    },
  ];
}

export interface ProcessesInput {
  processes: Processes | null | undefined;
  sort: ProcessSort;
  filter: string;
  /** Index of the first row shown (scrolling). */
  offset: number;
}

export function processesPanel(input: ProcessesInput, size: Size): ProcessesContent {
  const columns = columnsFor(size.width);
  const spans: ColumnSpan[] = [];
  const header: Line = [];
  let x = 0;
  for (const column of columns) {
    const mark = column.key === input.sort.key ? (input.sort.descending ? "▼" : "▲") : "";
    const text = fit(`${column.header}${mark}`, column.width, column.align);
    if (x > 0) header.push(seg(" "));
    header.push(seg(text, column.key === input.sort.key ? COLORS.title : COLORS.dim, true));
    spans.push({ key: column.key, start: x, end: x + column.width });
    x += column.width + 1;
  }
  const empty = (message: string): ProcessesContent => ({
    title: "processes",
    lines: [header, [seg(message, COLORS.dim)]],
    columns: spans,
    visibleRows: Math.max(0, size.height - 1),
    total: 0,
  });
  const { processes } = input;
  if (!processes) return empty("waiting for processes…");
  const rows = sortProcesses(filterProcesses(processes.top, input.filter), input.sort);
  const visibleRows = Math.max(0, size.height - 1);
  const offset = Math.max(0, Math.min(input.offset, rows.length - visibleRows));
  const lines: Line[] = [header];
  for (const p of rows.slice(offset, offset + visibleRows)) {
    const line: Line = [];
    columns.forEach((column, i) => {
      if (i > 0) line.push(seg(" "));
      const color =
        column.key === "cpu" ? levelColor(Math.min(100, p.cpu_pct), LIMITS.cpuPct) : undefined;
      line.push(seg(fit(column.cell(p), column.width, column.align), color));
    });
    lines.push(line);
  }
  if (rows.length === 0) lines.push([seg(`no process matches "${input.filter}"`, COLORS.dim)]);
  const parts = [
    `processes ${processes.count}`,
    `${processes.running} running`,
    `top ${processes.top.length} by cpu+mem`,
    ...(input.filter ? [`filter "${input.filter}"`] : []),
    ...(rows.length > visibleRows
      ? [`${offset + 1}-${Math.min(rows.length, offset + visibleRows)} of ${rows.length}`]
      : []),
  ];
  return { title: parts.join(" · "), lines, columns: spans, visibleRows, total: rows.length };
}
