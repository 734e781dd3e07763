// Alert rules, hosts and notification targets for the alert tests: rules written as in a config
// file, hosts as the receiver's fleet shows them, and a real HTTP server on loopback port 0 that
// records every request a notifier makes and answers as each test tells it to.
import { parseCondition } from "../../src/alerts/condition.ts";
import { parseSilence, type SilenceWindow } from "../../src/alerts/silence.ts";
import type { AlertConfig, NotifierConfig } from "../../src/config/types.ts";
import { createLogger, type Logger } from "../../src/log.ts";
import type { HostState, HostStatus, Snapshot } from "../../src/protocol/index.ts";

export interface RuleOptions {
  name?: string;
  for?: number;
  repeat?: number | null;
  hosts?: string[];
  notify?: string[];
  silence?: string[];
}

/** A rule as the config loader builds it from `when = "…"` and the other keys. */
export function rule(when: string, o: RuleOptions = {}): AlertConfig {
  const condition = parseCondition(when);
  if ("error" in condition) throw new Error(condition.error);
  return {
    name: o.name ?? "r",
    when,
    condition,
    forMs: o.for ?? 0,
    repeatMs: o.repeat ?? null,
    hosts: o.hosts ?? ["*"],
    notify: o.notify ?? [],
    silence: (o.silence ?? []).map((text): SilenceWindow => {
      const w = parseSilence(text);
      if ("error" in w) throw new Error(w.error);
      return w;
    }),
  };
}

export interface HostOptions {
  status?: HostStatus;
  cpuPct?: number;
  /** mount → used percent (of used + available). */
  disks?: Record<string, number>;
  maxCelsius?: number;
  uptimeS?: number | null;
  bootMs?: number | null;
  tsMs?: number;
  lastError?: string | null;
  lastSeenMs?: number | null;
  memoryUsedBytes?: number;
}

const GiB = 1024 ** 3;

/** A host as the fleet shows it; only the sections the options mention are present. */
export function host(id: string, o: HostOptions = {}): HostState {
  const snapshot: Snapshot = {
    v: 1,
    host: id,
    ts_ms: o.tsMs ?? 1_000_000,
    uptime_s: o.uptimeS === undefined ? 86_400 : o.uptimeS,
  };
  if (o.cpuPct !== undefined) {
    snapshot.cpu = {
      total_pct: o.cpuPct,
      user_pct: o.cpuPct,
      system_pct: 0,
      iowait_pct: null,
      steal_pct: null,
      cores_pct: [o.cpuPct],
      load: [1, 1, 1],
      freq_mhz: null,
    };
  }
  if (o.disks) {
    snapshot.disks = Object.entries(o.disks).map(([mount, pct]) => ({
      mount,
      fs: "ext4",
      device: `dev${mount}`,
      total_bytes: 100 * GiB,
      used_bytes: pct * GiB,
      available_bytes: (100 - pct) * GiB,
    }));
  }
  if (o.maxCelsius !== undefined) {
    snapshot.sensors = [
      {
        label: "Package id 0",
        chip: "coretemp",
        celsius: o.maxCelsius,
        max_celsius: null,
        crit_celsius: null,
      },
    ];
  }
  if (o.memoryUsedBytes !== undefined) {
    snapshot.memory = {
      total_bytes: 32 * GiB,
      used_bytes: o.memoryUsedBytes,
      available_bytes: 32 * GiB - o.memoryUsedBytes,
      cached_bytes: null,
      swap_total_bytes: 0,
      swap_used_bytes: 0,
    };
  }
  const status = o.status ?? "online";
  return {
    id,
    url: `http://${id}:7070`,
    status,
    info:
      o.bootMs === undefined
        ? null
        : {
            v: 1,
            hostname: id,
            platform: "linux",
            os: "Debian GNU/Linux 12 (bookworm)",
            kernel: "6.1.0",
            arch: "x64",
            cpu_model: "test",
            cpu_cores: 4,
            memory_total_bytes: 32 * GiB,
            boot_time_ms: o.bootMs,
            hwm_version: "0.1.0",
          },
    snapshot,
    last_seen_ms:
      o.lastSeenMs === undefined
        ? status === "online"
          ? (o.tsMs ?? 1_000_000)
          : null
        : o.lastSeenMs,
    last_error: o.lastError ?? null,
  };
}

/** Log lines kept for assertions. */
export function memoryLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger("debug", (line) => lines.push(line)), lines };
}

export interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  atMs: number;
}

export type Answer = (req: Received) => Response | Promise<Response>;

/** A real HTTP server on 127.0.0.1 that records requests; `answer` decides each response. */
export function target(answer: Answer = () => new Response("ok")) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const state = { answer };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const r: Received = {
        method: req.method,
        path: url.pathname + url.search,
        headers: Object.fromEntries(req.headers),
        body: await req.text(),
        atMs: Date.now(),
      };
      received.push(r);
      for (const w of waiters.splice(0)) w();
      return state.answer(r);
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    received,
    set answer(a: Answer) {
      state.answer = a;
    },
    /** Resolves once `count` requests arrived; rejects after timeoutMs. */
    async waitFor(count: number, timeoutMs = 5000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} requests, got ${received.length}`);
        await Promise.race([new Promise<void>((r) => waiters.push(r)), Bun.sleep(left)]);
      }
      return received;
    },
    stop: () => server.stop(true),
  };
}

export function notifier(
  type: NotifierConfig["type"],
  url: string,
  name: string = type,
  token: string | null = null,
): NotifierConfig {
  return { name, type, url, token };
}

/** Local time on Monday 2026-11-30 (hours past midnight), for silence windows. */
export function monday(hh: number, mm = 0, ss = 0): number {
  return new Date(2026, 10, 30, hh, mm, ss).getTime();
}
