// Small allocation-light helpers for the line-and-column text of /proc and /sys.

/** The whitespace-separated fields of one line (spaces or tabs, runs collapsed). */
export function fields(line: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      if (start >= 0) {
        out.push(line.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(line.slice(start));
  return out;
}

/** The integer in a sysfs attribute ("55000\n"), or null. */
export function parseIntOrNull(text: string | null): number | null {
  if (text === null) return null;
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) ? n : null;
}

/** True when a directory entry name is all digits (a pid under /proc). */
export function isDigits(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The whitespace-separated columns of text[start, end) as numbers, without a string per
 * column: an unsigned decimal integer each, NaN for a column that is not one.
 */
export function uintColumns(text: string, start: number, end: number): number[] {
  const out: number[] = [];
  let value = -1; // -1: between columns; NaN: inside a column that is not a number
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      if (value !== -1) out.push(value);
      value = -1;
    } else if (c >= 48 && c <= 57) {
      value = (value === -1 ? 0 : value * 10) + (c - 48);
    } else {
      value = Number.NaN;
    }
  }
  if (value !== -1) out.push(value);
  return out;
}

/** Where the line that starts at `start` ends: its newline, or the end of the text. */
export function lineEnd(text: string, start: number): number {
  const end = text.indexOf("\n", start);
  return end < 0 ? text.length : end;
}

/** The unsigned decimal integer after any blanks at text[i], or NaN when there is none. */
export function uintAt(text: string, i: number): number {
  let at = i;
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at++;
  let value = Number.NaN;
  for (let c = text.charCodeAt(at); c >= 48 && c <= 57; c = text.charCodeAt(++at)) {
    value = (Number.isNaN(value) ? 0 : value * 10) + (c - 48);
  }
  return value;
}

/** The n-th (from 0) whitespace-separated word of text[start, end), or undefined. */
export function wordAt(text: string, start: number, end: number, n: number): string | undefined {
  let seen = 0;
  let i = start;
  while (i < end) {
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i >= end) return undefined;
    const from = i;
    while (i < end && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
    if (seen++ === n) return text.slice(from, i);
  }
  return undefined;
}
