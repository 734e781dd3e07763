// CPU panel: total with a bar and a graph of it (its span and scale in the title), one bar per core (packed
// into columns, or a strip of blocks when there is no room), load averages and frequency.

import type { Trend } from "../../client/host-trends.ts";
import { LIMITS } from "../../client/thresholds.ts";
import * as u from "../../client/units.ts";
import type { Cpu } from "../../protocol/index.ts";
import { bar, block, fit, graph, type Line, levelColor, seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import type { PanelContent, Size } from "./panel.ts";

/** The narrowest core cell: " c0 ▇▇▇▇  45%". */
const CORE_CELL_MIN = 14;
/** The cell width the panel asks for when it can choose. */
const CORE_CELL_WANTED = 20;

function coreColumns(cores: number, width: number, cellWidth: number): number {
  return Math.max(1, Math.min(cores, Math.floor((width + 1) / (cellWidth + 1))));
}

/** The fewest lines that still show every core: as bars up to 8 rows of them, else as a strip. */
export function cpuMinRows(cpu: Cpu | null | undefined, width: number): number {
  const cores = cpu?.cores_pct.length ?? 0;
  const barRows = Math.ceil(cores / coreColumns(cores, width, CORE_CELL_MIN));
  return 2 + (barRows <= 8 ? barRows : Math.ceil(cores / Math.max(1, width - 6)));
}

/** Lines the panel would like at this width: total, sparkline, cores, load. */
export function cpuRows(cpu: Cpu | null | undefined, width: number): number {
  const cores = cpu?.cores_pct.length ?? 0;
  return 3 + Math.ceil(cores / coreColumns(cores, width, CORE_CELL_WANTED));
}

function totalLine(cpu: Cpu, width: number): Line {
  const pct = fit(u.pct(cpu.total_pct), 6, "right");
  return [
    seg("total ", COLORS.dim),
    ...bar(cpu.total_pct, width - 13, LIMITS.cpuPct),
    seg(` ${pct}`, undefined, true),
  ];
}

/** Load, temperature, frequency and the time split: as many as fit, whole. */
function detailLine(cpu: Cpu, celsius: number | null, width: number): Line {
  const parts = [
    cpu.load ? `load ${cpu.load.map((l) => l.toFixed(2)).join(" ")}` : null,
    celsius !== null ? `temp ${u.celsius(celsius)}` : null,
    cpu.freq_mhz !== null ? u.mhz(cpu.freq_mhz) : null,
    `usr ${u.pct(cpu.user_pct)}`,
    `sys ${u.pct(cpu.system_pct)}`,
    cpu.iowait_pct !== null ? `iowait ${u.pct(cpu.iowait_pct)}` : null,
    cpu.steal_pct !== null ? `steal ${u.pct(cpu.steal_pct)}` : null,
  ];
  let text = "";
  for (const part of parts) {
    if (part === null) continue;
    const next = text ? `${text}  ${part}` : part;
    if (next.length > width) break;
    text = next;
  }
  return [seg(text, COLORS.dim)];
}

/** Per-core bars in `columns` columns of `rows` rows, numbered down each column. */
function coreBars(cores: readonly number[], width: number, rows: number): Line[] {
  const columns = Math.ceil(cores.length / rows);
  const cell = Math.floor((width + 1) / columns) - 1;
  const labelWidth = String(cores.length - 1).length + 1;
  const barWidth = Math.max(1, cell - labelWidth - 6);
  const lines: Line[] = [];
  for (let r = 0; r < rows; r++) {
    const line: Line = [];
    for (let c = 0; c < columns; c++) {
      const i = c * rows + r;
      const pct = cores[i];
      if (pct === undefined) break;
      if (c > 0) line.push(seg(" "));
      line.push(seg(fit(`c${i}`, labelWidth, "right"), COLORS.dim), seg(" "));
      line.push(...bar(pct, barWidth, LIMITS.cpuPct));
      line.push(seg(fit(u.pct(pct), 5, "right")));
    }
    lines.push(line);
  }
  return lines;
}

/** One block per core, wrapped: for many cores in little room. */
function coreStrip(cores: readonly number[], width: number, rows: number): Line[] {
  const perRow = Math.max(1, width - 6);
  const lines: Line[] = [];
  for (let r = 0; r < rows && r * perRow < cores.length; r++) {
    const slice = cores.slice(r * perRow, (r + 1) * perRow);
    const line: Line = [seg(r === 0 ? "cores " : "      ", COLORS.dim)];
    for (const pct of slice) line.push(seg(block(pct, 100), levelColor(pct, LIMITS.cpuPct)));
    lines.push(line);
  }
  return lines;
}

export function cpuPanel(
  cpu: Cpu | null | undefined,
  trend: Trend,
  size: Size,
  /** The hottest sensor, so that a panel squeezed out of a small screen still shows it. */
  hottestCelsius: number | null = null,
): PanelContent {
  const title = "cpu";
  if (!cpu) return { title, lines: [[seg("waiting for data…", COLORS.dim)]] };
  const { width, height } = size;
  const lines: Line[] = [totalLine(cpu, width)];
  if (height < 2) return { title, lines };
  const cores = cpu.cores_pct;
  // Room between the total (first) and the details (last).
  const room = height - 2;
  const barColumns = coreColumns(cores.length, width, CORE_CELL_MIN);
  const barRows = Math.ceil(cores.length / barColumns);
  let coreLines: Line[] = [];
  if (cores.length > 0 && barRows <= room) {
    const rows = Math.max(
      barRows,
      Math.ceil(cores.length / coreColumns(cores.length, width, CORE_CELL_WANTED)),
    );
    coreLines = coreBars(cores, width, Math.min(room, rows));
  } else if (cores.length > 0) {
    coreLines = coreStrip(cores, width, room);
  }
  const graphRows = room - coreLines.length;
  const rows = graphRows > 0 ? graph(trend.values(width), width, graphRows, 100) : [];
  for (const row of rows) lines.push([seg(row, COLORS.accent)]);
  lines.push(...coreLines);
  lines.push(detailLine(cpu, hottestCelsius, width));
  const span = rows.length > 0 ? ` · ${u.span(trend.spanMs(width))} · max 100%` : "";
  return { title: `cpu ${cores.length} cores${span}`, lines };
}
