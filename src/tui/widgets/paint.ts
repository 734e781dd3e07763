// Drawing Lines into an OpenTUI buffer: colours from "#rrggbb" (cached) and text clipped to a width.
import { type OptimizedBuffer, RGBA, TextAttributes } from "@opentui/core";
import { clean, clipLine, type Line, type Segment, width } from "../text.ts";
import { COLORS } from "../theme.ts";

const cache = new Map<string, RGBA>();

export function rgba(hex: string): RGBA {
  let color = cache.get(hex);
  if (!color) {
    color = RGBA.fromHex(hex);
    cache.set(hex, color);
  }
  return color;
}

/** Draw `line` at (x, y), never past `maxWidth` columns; `bg` behind segments that have none. */
export function drawLine(
  buffer: OptimizedBuffer,
  line: Line,
  x: number,
  y: number,
  maxWidth: number,
  bg: string,
): void {
  let at = x;
  // Neighbours of the same style go out as one call: every call crosses into native code.
  let text = "";
  let style: Segment | null = null;
  const flush = () => {
    if (!style || !text) return;
    // As measured: width() counts the cleaned text (a sender's names may hold anything).
    buffer.drawText(
      clean(text),
      at,
      y,
      rgba(style.fg ?? COLORS.text),
      rgba(style.bg ?? bg),
      style.bold ? TextAttributes.BOLD : TextAttributes.NONE,
    );
    at += width(text);
  };
  for (const segment of clipLine(line, maxWidth)) {
    if (!segment.text) continue;
    if (style && sameStyle(style, segment)) {
      text += segment.text;
      continue;
    }
    flush();
    style = segment;
    text = segment.text;
  }
  flush();
}

function sameStyle(a: Segment, b: Segment): boolean {
  return (a.fg ?? COLORS.text) === (b.fg ?? COLORS.text) && a.bg === b.bg && !!a.bold === !!b.bold;
}
