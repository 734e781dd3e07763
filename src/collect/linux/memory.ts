// Memory: /proc/meminfo → total, available, used, cache and swap in bytes.
import { readFileSync } from "node:fs";
import type { Memory } from "../../protocol/index.ts";

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

const WANTED = new Set<string>([
  "MemTotal",
  "MemFree",
  "MemAvailable",
  "Buffers",
  "Cached",
  "SReclaimable",
  "SwapTotal",
  "SwapFree",
]);

export function parseMeminfoKb(text: string): MeminfoKb {
  const kb: Record<string, number> = {};
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(":", start);
    if (colon > start && colon < end) {
      const key = text.slice(start, colon);
      // parseInt skips the padding and stops at " kB".
      if (WANTED.has(key)) kb[key] = Number.parseInt(text.slice(colon + 1, end), 10);
    }
    start = end + 1;
  }
  return kb as MeminfoKb;
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

export function readMemory(procfs: string): Memory {
  return parseMeminfo(readFileSync(`${procfs}/meminfo`, "utf8"));
}
