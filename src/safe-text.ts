// Text from other machines made safe to show: control characters become "?" and bidi controls
// go, so a process, mount or host name can neither drive a terminal nor reorder a page or a log.

/**
 * C0 and C1 controls and DEL (an escape sequence clears a screen, a newline forges a log line),
 * and the line and paragraph separators some viewers break on.
 */
const CONTROL = "\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029";
/**
 * Bidi controls: embeddings, overrides, isolates and marks. "\u202Egpj.exe" shows as "exe.jpg";
 * a label has no use for them, so they are removed rather than shown.
 */
const BIDI = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069";

export const CONTROL_CHAR = new RegExp(`[${CONTROL}]`);
const CONTROL_ALL = new RegExp(`[${CONTROL}]`, "g");
const BIDI_ALL = new RegExp(`[${BIDI}]`, "g");
const UNSAFE = new RegExp(`[${CONTROL}${BIDI}]`);
const UNSAFE_ALL = new RegExp(`[${CONTROL}${BIDI}]`, "g");

/** True when `text` holds a control or bidi character. */
export function hasUnsafe(text: string): boolean {
  return UNSAFE.test(text);
}

/** Controls become "?", bidi controls are removed; anything else is kept as it is. */
export function safeText(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(BIDI_ALL, "").replace(CONTROL_ALL, "?");
}

/** Every control and bidi character as a \uXXXX escape: for logs, which must keep the facts. */
export function escapeUnsafe(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Every string in a decoded JSON value (object keys too) through safeText, in place: a snapshot
 * is decoded fresh for each round, so changing it costs nothing when, as almost always, every
 * string is already safe. Returns the value for chaining.
 */
export function safeDeep<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "string") {
        if (UNSAFE.test(item)) value[i] = safeText(item);
      } else if (item !== null && typeof item === "object") safeDeep(item);
    }
    return value;
  }
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === "string") {
      if (UNSAFE.test(item)) record[key] = safeText(item);
    } else if (item !== null && typeof item === "object") safeDeep(item);
    if (UNSAFE.test(key)) {
      const kept = record[key];
      delete record[key];
      record[safeText(key)] = kept;
    }
  }
  return value;
}
