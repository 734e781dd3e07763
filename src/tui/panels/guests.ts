// Guests panel: a Proxmox host's VMs and CTs, the busiest first and the stopped ones last, each
// with its status, CPU (percent of one core, as top), memory and uptime. Also the columns the
// containers panel shares.

import { LIMITS } from "../../client/thresholds.ts";
import * as u from "../../client/units.ts";
import type { Container, Guest } from "../../protocol/index.ts";
import { clean, fit, type Line, levelColor, seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import { listed, type PanelContent, type Size, unavailable } from "./panel.ts";

type Usage = Guest | Container;

const MARK: Record<Usage["status"], { mark: string; color: string }> = {
  running: { mark: "●", color: COLORS.good },
  paused: { mark: "‖", color: COLORS.warn },
  stopped: { mark: "○", color: COLORS.dim },
};

/** Running ones by CPU, busiest first; paused, then stopped ones after them, by name. */
export function busiestFirst<Row extends Usage>(
  rows: readonly Row[],
  name: (r: Row) => string,
): Row[] {
  const rank = (r: Row) => (r.status === "running" ? 0 : r.status === "paused" ? 1 : 2);
  return [...rows].sort(
    (a, b) =>
      rank(a) - rank(b) || (b.cpu_pct ?? -1) - (a.cpu_pct ?? -1) || name(a).localeCompare(name(b)),
  );
}

/** The status mark that starts a row. */
export const statusMark = (r: Usage) => seg(`${MARK[r.status].mark} `, MARK[r.status].color);

/** Columns right of the name, as wide as the panel allows: CPU, memory, uptime. */
export function usageCells(r: Usage, width: number): Line {
  // The CPU of a guest against its own cores: 100 % of 4 cores is not busy, 400 % is.
  const ofCores = r.cpu_pct === null ? null : r.cpu_pct / Math.max(1, r.cores ?? 1);
  const cpu =
    r.status === "stopped"
      ? seg(fit("stopped", 8, "right"), COLORS.dim)
      : seg(fit(u.pct(r.cpu_pct), 8, "right"), levelColor(ofCores, LIMITS.cpuPct));
  const cells: Line = [cpu];
  if (width >= USAGE_MEM_WIDTH) {
    const mem =
      r.mem_used_bytes === null
        ? r.mem_limit_bytes === null
          ? u.NONE
          : `— / ${u.bytesShort(r.mem_limit_bytes)}`
        : r.mem_limit_bytes === null
          ? u.bytesShort(r.mem_used_bytes)
          : `${u.bytesShort(r.mem_used_bytes)} / ${u.bytesShort(r.mem_limit_bytes)}`;
    cells.push(seg(fit(mem, 14, "right"), COLORS.dim));
  }
  if (width >= USAGE_UPTIME_WIDTH)
    cells.push(seg(fit(u.durationShort(r.uptime_s), 6, "right"), COLORS.dim));
  return cells;
}

/** Panel widths at which memory, then uptime, get a column. */
const USAGE_MEM_WIDTH = 40;
const USAGE_UPTIME_WIDTH = 52;

/** The width usageCells takes at this panel width. */
export function usageWidth(width: number): number {
  return 8 + (width >= USAGE_MEM_WIDTH ? 14 : 0) + (width >= USAGE_UPTIME_WIDTH ? 6 : 0);
}

const guestName = (g: Guest) => clean(g.name ?? `#${g.id}`);

export function guestsPanel(
  guests: Guest[] | null | undefined,
  error: string | undefined,
  size: Size,
): PanelContent {
  if (!guests) return unavailable("guests", error);
  const running = guests.filter((g) => g.status !== "stopped").length;
  const nameWidth = Math.max(4, size.width - 10 - usageWidth(size.width));
  const lines = busiestFirst(guests, guestName).map(
    (g): Line => [
      seg(fit(String(g.id), 4, "right"), COLORS.dim),
      seg(" "),
      statusMark(g),
      seg(fit(guestName(g), nameWidth)),
      seg(fit(g.kind === "vm" ? "VM" : "CT", 3, "right"), COLORS.dim),
      ...usageCells(g, size.width),
    ],
  );
  return listed(`guests ${running}/${guests.length} running`, lines, size.height);
}
