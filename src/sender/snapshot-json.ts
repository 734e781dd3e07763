// A snapshot as JSON text, each section's text kept while the collector serves the same reading
// (a section is cached for its TTL, 3 s for guests and containers, 5 s for custom): a
// hypervisor's guests and containers (~27 KB) or a textfile directory are serialised once per
// reading, not once per request. The text is what JSON.stringify(snapshot) would give.
import type { Snapshot } from "../protocol/index.ts";

/** Section values are never changed once the collector has built them. */
const texts = new WeakMap<object, string>();

function valueJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}

export function snapshotJson(snapshot: Snapshot): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(snapshot)) {
    // As JSON.stringify: a key without a value is left out.
    if (value !== undefined) parts.push(`${JSON.stringify(key)}:${valueJson(value)}`);
  }
  return `{${parts.join(",")}}`;
}
