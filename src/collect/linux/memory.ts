// Memory: /proc/meminfo → total, available, used, cache and swap in bytes.
import type { Memory } from "../../protocol/index.ts";
import { uintAt } from "./text.ts";

/** The kB values of the meminfo keys we use. */
interface MeminfoKb {
  MemTotal?: number;
  MemFree?: number;
  MemAvailable?: number;
  Buffers?: number;
  Cached?: number;
  SReclaimable?: number;
  SwapTotal?: number;
  SwapFree?: number;
}

const KEYS = [
  "MemTotal",
  "MemFree",
  "MemAvailable",
  "Buffers",
  "Cached",
  "SReclaimable",
  "SwapTotal",
  "SwapFree",
] as const satisfies readonly (keyof MeminfoKb)[];

/** Each key as it starts a line, looked up directly instead of walking all ~55 lines. */
const NEEDLES = KEYS.map((key) => ({ key, first: `${key}:`, line: `\n${key}:` }));

export function parseMeminfoKb(text: string): MeminfoKb {
  const kb: MeminfoKb = {};
  for (const { key, first, line } of NEEDLES) {
    let at: number;
    if (text.startsWith(first)) at = first.length;
    else {
      const found = text.indexOf(line);
      if (found < 0) continue;
      at = found + line.length;
    }
    // uintAt skips the padding and stops at " kB".
    kb[key] = uintAt(text, at);
  }
  return kb;
}

/**
 * used = total − available (what applications hold). Kernels before 3.14 have no MemAvailable:
 * fall back to free + buffers + page cache. cached = buffers + page cache + reclaimable slab,
 * what `free` shows as buff/cache. No swap → 0 and 0.
 */
export function parseMeminfo(text: string): Memory {
  const kb = parseMeminfoKb(text);
  if (kb.MemTotal === undefined || !Number.isFinite(kb.MemTotal)) {
    throw new Error("no MemTotal in meminfo");
  }
  const total = kb.MemTotal;
  const available = Math.min(
    total,
    kb.MemAvailable ?? (kb.MemFree ?? 0) + (kb.Buffers ?? 0) + (kb.Cached ?? 0),
  );
  const cachedKb =
    kb.Cached === undefined ? null : kb.Cached + (kb.Buffers ?? 0) + (kb.SReclaimable ?? 0);
  const swapTotal = kb.SwapTotal ?? 0;
  const swapUsed = Math.max(0, swapTotal - (kb.SwapFree ?? swapTotal));
  return {
    total_bytes: total * 1024,
    used_bytes: (total - available) * 1024,
    available_bytes: available * 1024,
    cached_bytes: cachedKb === null ? null : cachedKb * 1024,
    swap_total_bytes: swapTotal * 1024,
    swap_used_bytes: swapUsed * 1024,
  };
}
