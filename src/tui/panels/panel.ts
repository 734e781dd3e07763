// What every panel is: a pure function from data and an inner size (inside the border) to a
// title and at most `height` lines, plus how many lines it would like at a given width.
import type { Line } from "../text.ts";

export interface Size {
  width: number;
  height: number;
}

export interface PanelContent {
  title: string;
  lines: Line[];
  /** A line to draw on the selection background. */
  highlight?: number;
}

/** A panel shown as a placeholder line, for a section that is missing or failed. */
export function unavailable(title: string, reason: string | undefined): PanelContent {
  return { title, lines: [[{ text: reason ? `unavailable: ${reason}` : "waiting for data…" }]] };
}

/**
 * A list panel's lines cut to its height, one item per line; the title says how many items
 * did not fit, so that no data line is given up for a "more" line.
 */
export function listed(title: string, lines: Line[], height: number): PanelContent {
  if (lines.length <= height) return { title, lines };
  return {
    title: `${title} · ${lines.length - height} more`,
    lines: lines.slice(0, Math.max(0, height)),
  };
}
