// GPUs panel: per GPU its utilisation bar, memory, temperature and power (on a second line
// when the panel is narrow), and when there is room a sparkline of its utilisation (span and
// scale in the title).

import type { Trend } from "../../client/host-trends.ts";
import { LIMITS } from "../../client/thresholds.ts";
import * as u from "../../client/units.ts";
import type { Gpu } from "../../protocol/index.ts";
import { bar, fit, type Line, seg, sparkline } from "../text.ts";
import { COLORS } from "../theme.ts";
import type { PanelContent, Size } from "./panel.ts";

/** Narrower than this, a GPU takes two lines. */
const ONE_LINE_WIDTH = 64;

/** A GPU's facts on one line or two, then its utilisation's sparkline. */
export function gpuRows(gpus: readonly Gpu[], width: number): number {
  return gpus.length * ((width >= ONE_LINE_WIDTH ? 1 : 2) + 1);
}

function facts(gpu: Gpu): string {
  return [
    `mem ${u.usedOfTotal(gpu.mem_used_bytes, gpu.mem_total_bytes)}`,
    gpu.celsius !== null ? u.celsius(gpu.celsius) : null,
    gpu.power_watts !== null ? u.watts(gpu.power_watts) : null,
  ]
    .filter((f): f is string => f !== null)
    .join("  ");
}

export function gpusPanel(
  gpus: Gpu[] | null | undefined,
  history: (index: number) => Trend,
  size: Size,
): PanelContent {
  const title = "gpus";
  if (!gpus) return { title, lines: [[seg("waiting for data…", COLORS.dim)]] };
  if (gpus.length === 0) return { title, lines: [[seg("no GPUs", COLORS.dim)]] };
  const oneLine = size.width >= ONE_LINE_WIDTH;
  // With a line to spare per GPU, each gets its sparkline below its facts.
  const graphed = size.height >= gpuRows(gpus, size.width);
  const graphWidth = Math.max(1, size.width - 2);
  const lines: Line[] = [];
  for (const [index, gpu] of gpus.entries()) {
    const extra = oneLine ? `  ${facts(gpu)}` : "";
    const nameWidth = Math.min(gpu.name.length, Math.max(8, Math.floor(size.width * 0.3)));
    const barWidth = Math.max(5, size.width - nameWidth - 6 - extra.length);
    lines.push([
      seg(fit(gpu.name, nameWidth)),
      seg(" "),
      ...bar(gpu.util_pct, barWidth, LIMITS.cpuPct),
      seg(fit(u.pct(gpu.util_pct), 5, "right")),
      seg(extra, COLORS.dim),
    ]);
    if (!oneLine) lines.push([seg(`  ${facts(gpu)}`, COLORS.dim)]);
    if (graphed) {
      const values = history(index).values(graphWidth);
      lines.push([seg("  "), seg(sparkline(values, graphWidth, 100), COLORS.accent)]);
    }
  }
  const shown = lines.slice(0, size.height);
  const hidden = gpus.length - Math.ceil(shown.length / ((oneLine ? 1 : 2) + (graphed ? 1 : 0)));
  const scale = graphed ? ` · ${u.span(history(0).spanMs(graphWidth))} · max 100%` : "";
  return {
    title: `gpus ${gpus.length}${scale}${hidden > 0 ? ` · ${hidden} more` : ""}`,
    lines: shown,
  };
}
