// Memory panel: memory and swap gauges (used of total), then cache and available memory; given
// more rows, a graph of memory in use (its span and scale in the title).

import type { Trend } from "../../client/host-trends.ts";
import { LIMITS } from "../../client/thresholds.ts";
import * as u from "../../client/units.ts";
import type { Memory } from "../../protocol/index.ts";
import { bar, fit, graph, type Line, seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import type { PanelContent, Size } from "./panel.ts";

export const MEMORY_ROWS = 3;

function pctOf(used: number, total: number): number | null {
  return total > 0 ? (used / total) * 100 : null;
}

function gauge(label: string, used: number, total: number, width: number): Line {
  const pct = pctOf(used, total);
  const amount = u.usedOfTotal(used, total);
  const text = ` ${fit(u.pct(pct), 4, "right")} ${amount}`;
  const barWidth = Math.max(3, width - 5 - text.length);
  return [seg(fit(label, 5), COLORS.dim), ...bar(pct, barWidth, LIMITS.memPct), seg(text)];
}

export function memoryPanel(
  memory: Memory | null | undefined,
  trend: Trend,
  size: Size,
): PanelContent {
  const title = "memory";
  if (!memory) return { title, lines: [[seg("waiting for data…", COLORS.dim)]] };
  const lines: Line[] = [gauge("mem", memory.used_bytes, memory.total_bytes, size.width)];
  if (memory.swap_total_bytes > 0) {
    lines.push(gauge("swap", memory.swap_used_bytes, memory.swap_total_bytes, size.width));
  } else {
    lines.push([seg(fit("swap", 5), COLORS.dim), seg("none", COLORS.dim)]);
  }
  const extra = [
    `avail ${u.bytes(memory.available_bytes)}`,
    memory.cached_bytes !== null ? `cache ${u.bytes(memory.cached_bytes)}` : null,
  ].filter((p): p is string => p !== null);
  lines.push([seg(fit("", 5)), seg(extra.join("  "), COLORS.dim)]);
  const graphRows = size.height - lines.length;
  if (graphRows <= 0) return { title, lines: lines.slice(0, size.height) };
  for (const row of graph(trend.values(size.width), size.width, graphRows, 100)) {
    lines.push([seg(row, COLORS.accent)]);
  }
  return { title: `${title} · ${u.span(trend.spanMs(size.width))} · max 100%`, lines };
}
