// Processes: /proc/<pid>/stat of every process, CPU% from two readings, the busiest N with their
// memory and user from /proc/<pid>/status. Command lines and environments are never read.
import { readdirSync, readFileSync } from "node:fs";
import type { Processes, ProcessInfo } from "../../protocol/index.ts";
import { CLK_TCK } from "../constants.ts";
import { round2 } from "../rates.ts";
import { topByCpuAndMemory } from "../top.ts";
import { errnoCode } from "./roots.ts";
import { isDigits } from "./text.ts";

export interface PidStat {
  pid: number;
  name: string;
  state: string;
  /** utime + stime, in clock ticks (CLK_TCK per second). */
  cpuTicks: number;
  /** Start time after boot in ticks: tells a reused pid from the process we saw before. */
  startTicks: number;
  rssPages: number;
  threads: number;
  /** PF_KTHREAD in the flags: a kernel thread. */
  kernel: boolean;
}

const PF_KTHREAD = 0x00200000;

/** The fields we need from /proc/<pid>/status. */
export interface PidStatus {
  /** Resident memory; kernel threads have no VmRSS line → 0. */
  rssBytes: number;
  /** Effective uid (what top and ps show as the user), or null when absent. */
  uid: number | null;
}

/**
 * /proc/<pid>/stat: `pid (comm) state ppid ...`. comm may contain spaces and parentheses
 * ("(sd-pam)", "tmux: server", "Web Content"), so it runs from the first '(' to the LAST ')'.
 */
export function parsePidStat(text: string): PidStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  // After ") ": field 3 (state) is index 0, so field N is index N - 3 (proc(5) numbering).
  const rest = text.slice(close + 2).split(" ", 22);
  const flags = Number(rest[6]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  const startTicks = Number(rest[19]);
  const rssPages = Number(rest[21]);
  const threads = Number(rest[17]);
  const pid = Number(text.slice(0, open));
  if (![pid, flags, utime, stime, startTicks, rssPages, threads].every(Number.isFinite)) {
    return null;
  }
  return {
    pid,
    name: text.slice(open + 1, close),
    state: rest[0] ?? "?",
    cpuTicks: utime + stime,
    startTicks,
    rssPages,
    threads,
    // The flags field is an unsigned 32-bit value: well within a double, and `&` wants int32.
    kernel: ((flags >>> 0) & PF_KTHREAD) !== 0,
  };
}

export function parsePidStatus(text: string): PidStatus {
  let rssBytes = 0;
  let uid: number | null = null;
  const rss = text.indexOf("\nVmRSS:");
  if (rss >= 0) rssBytes = Number.parseInt(text.slice(rss + 7, rss + 40), 10) * 1024 || 0;
  const uidAt = text.indexOf("\nUid:");
  if (uidAt >= 0) {
    const end = text.indexOf("\n", uidAt + 1);
    // Uid: real effective saved filesystem
    const ids = text
      .slice(uidAt + 5, end < 0 ? undefined : end)
      .trim()
      .split("\t");
    const effective = Number(ids[1] ?? ids[0]);
    uid = Number.isInteger(effective) ? effective : null;
  }
  return { rssBytes, uid };
}

/** uid → user name from /etc/passwd text. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const [name, , uid] = line.split(":");
    const n = Number(uid);
    if (name && Number.isInteger(n) && !users.has(n)) users.set(n, name);
  }
  return users;
}

/** A process with its CPU share over the interval, before the top N are picked. */
export interface RankedProcess {
  stat: PidStat;
  /** Percent of ONE core over the interval, like top. */
  cpuPct: number;
}

/**
 * CPU% of every process of `cur`. A pid absent from `prev`, or reused (another start time), was
 * born within the interval, so all its ticks belong to it. Wall time is the sender's clock.
 * Without `prev` (the first reading after a long idle), each process's average since it
 * started, as ps shows it: `uptimeTicks` is the machine's uptime in clock ticks.
 */
export function rankProcesses(
  prev: ReadonlyMap<number, PidStat> | null,
  cur: ReadonlyMap<number, PidStat>,
  elapsedMs: number,
  uptimeTicks = 0,
): RankedProcess[] {
  const ranked: RankedProcess[] = [];
  for (const stat of cur.values()) {
    let cpuPct = 0;
    if (prev === null) {
      const ageTicks = uptimeTicks - stat.startTicks;
      if (ageTicks > 0 && stat.cpuTicks > 0) cpuPct = round2((stat.cpuTicks * 100) / ageTicks);
    } else {
      const before = prev.get(stat.pid);
      const sameProcess = before !== undefined && before.startTicks === stat.startTicks;
      const ticks = sameProcess ? stat.cpuTicks - before.cpuTicks : stat.cpuTicks;
      if (elapsedMs > 0 && ticks > 0) cpuPct = round2((ticks * 100_000) / (CLK_TCK * elapsedMs));
    }
    ranked.push({ stat, cpuPct });
  }
  return ranked;
}

/** The top N by CPU and the top N by resident memory: see topByCpuAndMemory. */
export function topProcesses(ranked: RankedProcess[], n: number): RankedProcess[] {
  return topByCpuAndMemory(ranked, n, {
    cpu: (r) => r.cpuPct,
    memory: (r) => r.stat.rssPages,
    pid: (r) => r.stat.pid,
  });
}

/** Every process's stat, keyed by pid. Processes that exit between readdir and read are skipped. */
export function readAllPidStats(procfs: string): Map<number, PidStat> {
  const stats = new Map<number, PidStat>();
  for (const name of readdirSync(procfs)) {
    if (!isDigits(name)) continue;
    const text = readVanishing(`${procfs}/${name}/stat`);
    const stat = text === null ? null : parsePidStat(text);
    if (!stat) continue;
    // The directory name is the pid we read status from later; trust it over the file's own field.
    stat.pid = Number(name);
    stats.set(stat.pid, stat);
  }
  return stats;
}

/** A /proc/<pid> file, or null when the process is gone (ENOENT, ESRCH); other errors are real. */
export function readVanishing(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT" || code === "ESRCH") return null;
    throw error;
  }
}

export interface ProcessesInput {
  procfs: string;
  /** The previous reading, or null for the first after a long idle. */
  prev: ReadonlyMap<number, PidStat> | null;
  cur: ReadonlyMap<number, PidStat>;
  elapsedMs: number;
  topN: number;
  userName: (uid: number) => string;
  /** The host's memory, for mem_pct; null when unknown. */
  memTotalBytes: number | null;
  /** Read only without `prev`: the machine's uptime in clock ticks, for averages since start. */
  uptimeTicks: () => number;
}

/**
 * The Processes section: count and running over all processes; memory and user resolved for
 * the listed ones only (a status read each). A process that exited before its status could be
 * read is dropped from the list.
 */
export function buildProcesses(input: ProcessesInput): Processes {
  const { prev, cur, memTotalBytes } = input;
  let running = 0;
  for (const stat of cur.values()) if (stat.state === "R") running++;
  const uptimeTicks = prev === null ? input.uptimeTicks() : 0;
  const top: ProcessInfo[] = [];
  for (const { stat, cpuPct } of topProcesses(
    rankProcesses(prev, cur, input.elapsedMs, uptimeTicks),
    input.topN,
  )) {
    const text = readVanishing(`${input.procfs}/${stat.pid}/status`);
    if (text === null) continue;
    const status = parsePidStatus(text);
    top.push({
      pid: stat.pid,
      name: stat.name,
      user: status.uid === null ? "?" : input.userName(status.uid),
      cpu_pct: cpuPct,
      mem_bytes: status.rssBytes,
      state: stat.state,
      ...(memTotalBytes
        ? { mem_pct: Math.min(100, round2((status.rssBytes * 100) / memTotalBytes)) }
        : {}),
      threads: stat.threads,
      kernel: stat.kernel,
    });
  }
  return {
    count: cur.size,
    running,
    top,
    cpu_window_ms: prev === null ? null : Math.round(input.elapsedMs),
  };
}
