// Styled text as plain data: a Line is a list of Segments (text with colours). Panels build
// Lines as pure functions; only the widgets turn them into cells. Widths are terminal columns.
import { type Limit, level, type Temperature, temperatureLevel } from "../client/thresholds.ts";
import { SP } from "../client/units.ts";
import { CONTROL_CHAR } from "../safe-text.ts";
import { COLORS } from "./theme.ts";

export interface Segment {
  text: string;
  /** Foreground colour "#rrggbb"; the theme's text colour when absent. */
  fg?: string;
  bg?: string;
  bold?: boolean;
}
export type Line = Segment[];

/** Printable ASCII: one column per character, the case of almost every string drawn. */
const ASCII = /^[ -~]*$/;
/**
 * Characters whose width terminals, OpenTUI and Bun.stringWidth do not agree on, or that are not
 * text: controls, formatting characters (bidi, zero-width, soft hyphen), lone surrogates, marks
 * (combining, variation selectors), pictographs and flags (emoji sequences).
 */
const TRICKY =
  /[\p{Cc}\p{Cf}\p{Cs}\p{M}\p{Zl}\p{Zp}\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Modifier}]/u;
const SURROGATE = /\p{Cs}/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const REGIONAL = /\p{Regional_Indicator}/u;
/** Marks a terminal draws inside the cell before them; not variation selectors (they pick emoji width). */
const NONSPACING = /(?![\uFE00-\uFE0F\u{E0100}-\u{E01EF}])\p{Mn}/u;
/** Enough for any accented letter; more only stacks up (Zalgo text). */
const MAX_MARKS = 2;
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Text as the terminal dashboard draws it: each character takes the columns that every
 * terminal, OpenTUI and `width()` agree on, so names from senders cannot push a line past its
 * box. Controls (an escape sequence in a process name) become "?"; zero-width and bidi
 * characters go; an emoji sequence (a family, a skin tone, ❤️) becomes its first emoji and a
 * flag its two letters; a letter keeps at most two combining marks, composed where Unicode can.
 */
export function clean(text: string): string {
  if (ASCII.test(text)) return text;
  // The no-break space that joins a number and its unit (client/units.ts) is a space here.
  const plain = text.includes(SP) ? text.replaceAll(SP, " ") : text;
  if (!TRICKY.test(plain)) return plain;
  let out = "";
  for (const { segment } of graphemes.segment(plain)) out += cleanCluster(segment.normalize("NFC"));
  return out;
}

function cleanCluster(cluster: string): string {
  const first = cluster.codePointAt(0) ?? 0x3f;
  const base = String.fromCodePoint(first);
  if (CONTROL_CHAR.test(base) || SURROGATE.test(base)) return "?";
  if (REGIONAL.test(base)) {
    let letters = "";
    for (const c of cluster) {
      const at = c.codePointAt(0) ?? 0;
      if (REGIONAL.test(c)) letters += String.fromCharCode(65 + at - 0x1f1e6);
    }
    return letters;
  }
  // Formatting characters (bidi, zero-width, soft hyphen) and marks with nothing to sit on.
  if (Bun.stringWidth(base) === 0) return "";
  if (cluster.length === base.length || PICTOGRAPH.test(base)) return base;
  let out = base;
  let marks = 0;
  for (const c of cluster.slice(base.length)) {
    if (marks >= MAX_MARKS || !NONSPACING.test(c)) continue;
    out += c;
    marks += 1;
  }
  return out;
}

/** Terminal columns taken by a string as drawn (see clean): wide CJK characters count 2. */
export function width(text: string): number {
  if (ASCII.test(text)) return text.length;
  return Bun.stringWidth(clean(text));
}

/** At most `max` columns of `text` (as clean() draws it), ending in "…" when cut. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return "";
  const drawn = clean(text);
  if (width(drawn) <= max) return drawn;
  let out = "";
  let used = 0;
  // Whole characters (a letter with its marks), never half of one.
  for (const { segment } of graphemes.segment(drawn)) {
    const w = Bun.stringWidth(segment);
    if (used + w > max - 1) break;
    out += segment;
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

const LEVEL_COLOR = { ok: COLORS.good, warn: COLORS.warn, bad: COLORS.bad } as const;

/** Colour of a value against its limits (client/thresholds.ts): calm, high, a problem. */
export function levelColor(value: number | null | undefined, limit: Limit): string {
  return value == null ? COLORS.dim : LEVEL_COLOR[level(value, limit)];
}

/** Colour of a temperature against its own limits. */
export function temperatureColor(reading: Temperature | null | undefined): string {
  return reading ? LEVEL_COLOR[temperatureLevel(reading)] : COLORS.dim;
}

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"] as const;

/** A horizontal bar of `size` columns filled to `pct` percent, in eighths of a column. */
export function bar(pct: number | null | undefined, size: number, limit: Limit): Segment[] {
  if (size <= 0) return [];
  if (pct == null || !Number.isFinite(pct)) return [{ text: "·".repeat(size), fg: COLORS.dim }];
  const eighths = Math.round((Math.min(100, Math.max(0, pct)) / 100) * size * 8);
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8] ?? "";
  const filled = "█".repeat(full) + part;
  const rest = size - full - (part ? 1 : 0);
  const out: Segment[] = [];
  if (filled) out.push({ text: filled, fg: levelColor(pct, limit) });
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

/** The highest value of some graphs (0 when none has a value): their shared scale. */
export function peak(...series: readonly (readonly (number | null)[])[]): number {
  let top = 0;
  for (const values of series) for (const v of values) if (v !== null && v > top) top = v;
  return top;
}

/** Column by column sums of graphs aligned at the right (the newest), null where none has a value. */
export function sumAligned(series: readonly (readonly (number | null)[])[]): (number | null)[] {
  const length = Math.max(0, ...series.map((s) => s.length));
  const out: (number | null)[] = new Array(length).fill(null);
  for (const values of series) {
    const pad = length - values.length;
    values.forEach((v, i) => {
      if (v !== null) out[pad + i] = (out[pad + i] ?? 0) + v;
    });
  }
  return out;
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
