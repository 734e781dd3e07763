// What guests and containers share: CPU %, memory in use and disk rates from two readings of a
// cgroup's counters, restarts, and the start times and limits remembered per cgroup.
import type { Guest } from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";
import { CGROUP_LIMITS_TTL_MS } from "../constants.ts";
import { counterRate, round2 } from "../rates.ts";
import type { CgroupCounters, CgroupSlowFacts } from "./cgroup.ts";

/** The fields guests and containers share, in the order the wire carries them. */
export type CgroupUsage = Pick<
  Guest,
  | "cpu_pct"
  | "cores"
  | "mem_used_bytes"
  | "mem_limit_bytes"
  | "disk_read_bps"
  | "disk_write_bps"
  | "net_rx_bps"
  | "net_tx_bps"
  | "uptime_s"
>;

type NetBytes = { rxBytes: number; txBytes: number } | null | undefined;

/** What is known of a cgroup besides its counters. */
export interface CgroupFacts {
  cores: number | null;
  memLimitBytes: number | null;
  inactiveFileBytes: number;
  /** Its traffic as it sees it now, and at the previous reading; null when unknown. */
  net: NetBytes;
  netBefore: NetBytes;
  uptimeS: number | null;
}

/**
 * `head` (id, name, ...) with the usage fields added in wire order, without copying it. CPU is in
 * percent of one core over the interval; null without a previous reading or when the counter
 * went back (the guest restarted between the two reads: its cgroup is a new one).
 */
export function withUsage<T extends object>(
  head: T,
  prev: CgroupCounters | undefined,
  cur: CgroupCounters,
  elapsedMs: number,
  facts: CgroupFacts,
): T & CgroupUsage {
  const out = head as T & CgroupUsage;
  const cpuUsec = prev && cur.cpuUsec >= prev.cpuUsec ? cur.cpuUsec - prev.cpuUsec : null;
  const { net, netBefore } = facts;
  out.cpu_pct = cpuUsec === null || !(elapsedMs > 0) ? null : round2(cpuUsec / elapsedMs / 10);
  out.cores = facts.cores;
  out.mem_used_bytes =
    cur.memBytes === null ? null : Math.max(0, cur.memBytes - facts.inactiveFileBytes);
  out.mem_limit_bytes = facts.memLimitBytes;
  out.disk_read_bps = rateOf(prev?.readBytes, cur.readBytes, elapsedMs);
  out.disk_write_bps = rateOf(prev?.writeBytes, cur.writeBytes, elapsedMs);
  out.net_rx_bps = net ? rateOf(netBefore?.rxBytes, net.rxBytes, elapsedMs) : null;
  out.net_tx_bps = net ? rateOf(netBefore?.txBytes, net.txBytes, elapsedMs) : null;
  out.uptime_s = facts.uptimeS;
  return out;
}

function rateOf(
  prev: number | null | undefined,
  cur: number | null,
  elapsedMs: number,
): number | null {
  return cur === null ? null : counterRate(prev ?? undefined, cur, elapsedMs);
}

/**
 * Start times (seconds after boot) per cgroup key, looked up once per guest run: forgotten when
 * the cgroup is not seen in a read or its CPU counter went back (a restart).
 */
export class StartTimes {
  readonly #known = new Map<string, number>();

  /** Whole seconds the cgroup has been up, given the host's uptime. */
  uptimeS(key: string, hostUptimeS: number | null, lookup: () => number | null): number | null {
    let startS = this.#known.get(key);
    if (startS === undefined) {
      // Not found (a scope whose process is not in it yet): looked up again next time.
      startS = lookup() ?? undefined;
      if (startS !== undefined) this.#known.set(key, startS);
    }
    if (startS === undefined || hostUptimeS === null) return null;
    return Math.max(0, Math.floor(hostUptimeS - startS));
  }

  /** Keep only the keys still running, minus those that restarted. */
  keep(running: ReadonlyMap<string, unknown>, restarted: ReadonlySet<string>): void {
    for (const key of this.#known.keys()) {
      if (!running.has(key) || restarted.has(key)) this.#known.delete(key);
    }
  }
}

/** The keys whose CPU counter went back between two readings: a new cgroup under the same name. */
export function restartedKeys(
  prev: ReadonlyMap<string, { counters: CgroupCounters }>,
  cur: ReadonlyMap<string, { counters: CgroupCounters }>,
): Set<string> {
  const restarted = new Set<string>();
  for (const [key, now] of cur) {
    const before = prev.get(key);
    if (before && now.counters.cpuUsec < before.counters.cpuUsec) restarted.add(key);
  }
  return restarted;
}

/** Slow facts per cgroup key, re-read every CGROUP_LIMITS_TTL_MS; forgotten once the cgroup is gone. */
export class SlowFactsCache {
  readonly #clock: Clock;
  readonly #known = new Map<string, { facts: CgroupSlowFacts; atMs: number }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get(key: string, read: () => CgroupSlowFacts): CgroupSlowFacts {
    const now = this.#clock.nowMs();
    const known = this.#known.get(key);
    if (known && now - known.atMs < CGROUP_LIMITS_TTL_MS) return known.facts;
    const facts = read();
    this.#known.set(key, { facts, atMs: now });
    return facts;
  }

  keep(running: ReadonlyMap<string, unknown>): void {
    for (const key of this.#known.keys()) if (!running.has(key)) this.#known.delete(key);
  }
}
