// Shared pieces of the benchmarks: whole-process CPU from /proc (nanosecond schedstat summed
// over threads, and clock ticks), RSS, medians, and starting a server to measure.
import { readdirSync, readFileSync } from "node:fs";

/** CPU time of every thread of a process, in ms, from /proc/<pid>/task/<tid>/schedstat (ns). */
export function processCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended between readdir and read
    }
  }
  return ns / 1e6;
}

/**
 * Whole-process CPU in ms at nanosecond resolution: every thread's schedstat, keeping the last
 * reading of threads that have ended since (the runtime's JIT and GC helpers come and go), whose
 * work a plain sum over /proc/<pid>/task would lose. Read it often (after every request) so a
 * short-lived thread is seen at least once.
 */
export class CpuMeter {
  readonly #pid: number;
  readonly #threads = new Map<string, { name: string; ns: number }>();

  constructor(pid: number) {
    this.#pid = pid;
  }

  readMs(): number {
    let ms = 0;
    for (const value of this.byThreadName().values()) ms += value;
    return ms;
  }

  /** CPU ms so far per thread name (main, JITWorker, HeapHelper, mi-scavenger, ...). */
  byThreadName(): Map<string, number> {
    for (const tid of readdirSync(`/proc/${this.#pid}/task`)) {
      const dir = `/proc/${this.#pid}/task/${tid}`;
      try {
        const ns = Number(readFileSync(`${dir}/schedstat`, "utf8").split(" ")[0]);
        const name = this.#threads.get(tid)?.name ?? readFileSync(`${dir}/comm`, "utf8").trim();
        this.#threads.set(tid, { name, ns });
      } catch {
        // the thread ended between readdir and read: its last reading stays
      }
    }
    const ms = new Map<string, number>();
    for (const { name, ns } of this.#threads.values()) ms.set(name, (ms.get(name) ?? 0) + ns / 1e6);
    return ms;
  }
}

/** utime + stime of a process in clock ticks (1/100 s), as top and the budgets count them. */
export function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match?.[1] ? Number(match[1]) * 1024 : 0;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function freePort(): Promise<number> {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = server.port ?? 0;
  await server.stop(true);
  return port;
}

/** Polls url until it answers 200; returns the ms from `startMs` (performance.now()) to then. */
export async function waitFor200(
  url: string,
  startMs: number,
  timeoutMs = 10_000,
  headers: Record<string, string> = {},
): Promise<number> {
  while (performance.now() - startMs < timeoutMs) {
    try {
      const res = await fetch(url, { headers });
      if (res.status === 200) {
        await res.arrayBuffer();
        return performance.now() - startMs;
      }
    } catch {
      // not listening yet
    }
    await Bun.sleep(1);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

export const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

/** Flags Debian's Chromium needs here: headless as root, and no calls home on a closed network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
