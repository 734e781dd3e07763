// Styled text as plain data: a Line is a list of Segments (text with colours). Panels build
// Lines as pure functions; only the widgets turn them into cells. Widths are terminal columns.
import { COLORS } from "./theme.ts";

export interface Segment {
  text: string;
  /** Foreground colour "#rrggbb"; the theme's text colour when absent. */
  fg?: string;
  bg?: string;
  bold?: boolean;
}
export type Line = Segment[];

/** Control characters (a process may name itself with an escape sequence) become "?". */
export function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

/** Terminal columns taken by a string (wide CJK characters count 2). */
export function width(text: string): number {
  return Bun.stringWidth(text);
}

/** At most `max` columns of `text`, ending in "…" when cut. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return "";
  if (width(text) <= max) return text;
  let out = "";
  let used = 0;
  for (const char of text) {
    const w = width(char);
    if (used + w > max - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

/** Exactly `size` columns: cut with "…" or padded with spaces (on the left for `right`). */
export function fit(text: string, size: number, align: "left" | "right" = "left"): string {
  const cut = truncate(text, size);
  const pad = " ".repeat(Math.max(0, size - width(cut)));
  return align === "right" ? pad + cut : cut + pad;
}

export function lineWidth(line: Line): number {
  let total = 0;
  for (const segment of line) total += width(segment.text);
  return total;
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join("");
}

/** The line cut to `max` columns (the last visible segment gets the "…"). */
export function clipLine(line: Line, max: number): Line {
  if (lineWidth(line) <= max) return line;
  const out: Line = [];
  let left = max;
  for (const segment of line) {
    const w = width(segment.text);
    if (w <= left) {
      out.push(segment);
      left -= w;
      continue;
    }
    if (left > 0) out.push({ ...segment, text: truncate(segment.text, left) });
    break;
  }
  return out;
}

/** Exactly `size` columns of a line: cut with "…" or padded with spaces. */
export function fitLine(line: Line, size: number, align: "left" | "right" = "left"): Line {
  const cut = clipLine(line, size);
  const pad = size - lineWidth(cut);
  if (pad <= 0) return cut;
  const space: Segment = { text: " ".repeat(pad) };
  return align === "right" ? [space, ...cut] : [...cut, space];
}

export const seg = (text: string, fg?: string, bold?: boolean): Segment =>
  bold ? { text, fg, bold } : fg ? { text, fg } : { text };

/** Colour of a 0–100 load: calm, busy, hot. */
export function levelColor(pct: number | null | undefined): string {
  if (pct == null) return COLORS.dim;
  if (pct >= 90) return COLORS.bad;
  if (pct >= 70) return COLORS.warn;
  return COLORS.good;
}

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"] as const;

/** A horizontal bar of `size` columns filled to `pct` percent, in eighths of a column. */
export function bar(pct: number | null | undefined, size: number, color?: string): Segment[] {
  if (size <= 0) return [];
  if (pct == null || !Number.isFinite(pct)) return [{ text: "·".repeat(size), fg: COLORS.dim }];
  const eighths = Math.round((Math.min(100, Math.max(0, pct)) / 100) * size * 8);
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8] ?? "";
  const filled = "█".repeat(full) + part;
  const rest = size - full - (part ? 1 : 0);
  const out: Segment[] = [];
  if (filled) out.push({ text: filled, fg: color ?? levelColor(pct) });
  if (rest > 0) out.push({ text: "░".repeat(rest), fg: COLORS.track });
  return out;
}

const BLOCKS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;

/** One block character for a value between 0 and max. */
export function block(value: number | null | undefined, max: number): string {
  if (value == null || !Number.isFinite(value)) return " ";
  const level = max > 0 ? Math.round((Math.max(0, value) / max) * (BLOCKS.length - 1)) : 0;
  return BLOCKS[Math.min(BLOCKS.length - 1, level)] ?? " ";
}

/**
 * The last `size` values as block characters, right-aligned (the newest at the right edge).
 * `max` fixes the scale (100 for percentages); without it the highest value shown sets it.
 */
export function sparkline(values: readonly (number | null)[], size: number, max?: number): string {
  if (size <= 0) return "";
  const shown = values.slice(-size);
  const top = max ?? Math.max(0, ...shown.map((v) => v ?? 0));
  const blocks = shown.map((v) => block(v, top)).join("");
  return " ".repeat(size - shown.length) + blocks;
}

/**
 * A graph of `rows` lines of block characters (top line first): each line is one band of the
 * scale, so that a tall panel shows history with rows × 8 levels instead of 8.
 */
export function graph(
  values: readonly (number | null)[],
  size: number,
  rows: number,
  max: number,
): string[] {
  if (rows <= 1) return rows === 1 ? [sparkline(values, size, max)] : [];
  const shown = values.slice(-size);
  const pad = size - shown.length;
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const floor = rows - 1 - r;
    let line = " ".repeat(pad);
    for (const v of shown) {
      const level = v == null || max <= 0 ? 0 : (Math.max(0, v) / max) * rows - floor;
      if (level <= 0) line += r === rows - 1 && v != null ? "▁" : " ";
      else line += level >= 1 ? "█" : (BLOCKS[Math.max(0, Math.ceil(level * 8) - 1)] ?? " ");
    }
    out.push(line);
  }
  return out;
}
