// Processes: /proc/<pid>/stat of every process, CPU% from two readings, the busiest N with their
// memory and user from /proc/<pid>/status. Command lines and environments are never read.
import { readdirSync, readFileSync } from "node:fs";
import type { Processes, ProcessInfo } from "../../protocol/index.ts";
import { CLK_TCK } from "../constants.ts";
import { round2 } from "../rates.ts";
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
}

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
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  const startTicks = Number(rest[19]);
  const rssPages = Number(rest[21]);
  const pid = Number(text.slice(0, open));
  if (![pid, utime, stime, startTicks, rssPages].every(Number.isFinite)) return null;
  return {
    pid,
    name: text.slice(open + 1, close),
    state: rest[0] ?? "?",
    cpuTicks: utime + stime,
    startTicks,
    rssPages,
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
 */
export function rankProcesses(
  prev: ReadonlyMap<number, PidStat>,
  cur: ReadonlyMap<number, PidStat>,
  elapsedMs: number,
): RankedProcess[] {
  const ranked: RankedProcess[] = [];
  for (const stat of cur.values()) {
    const before = prev.get(stat.pid);
    const sameProcess = before !== undefined && before.startTicks === stat.startTicks;
    const ticks = sameProcess ? stat.cpuTicks - before.cpuTicks : stat.cpuTicks;
    const cpuPct =
      elapsedMs > 0 && ticks > 0 ? round2((ticks * 100_000) / (CLK_TCK * elapsedMs)) : 0;
    ranked.push({ stat, cpuPct });
  }
  return ranked;
}

/** Highest CPU first; ties (most processes sit at 0) by resident memory, then by pid for a stable order. */
export function topProcesses(ranked: RankedProcess[], n: number): RankedProcess[] {
  return ranked
    .sort(
      (a, b) => b.cpuPct - a.cpuPct || b.stat.rssPages - a.stat.rssPages || a.stat.pid - b.stat.pid,
    )
    .slice(0, n);
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

/**
 * The Processes section from two readings: count and running over all processes; memory and
 * user resolved for the top N only (a status read each). A process that exited before its
 * status could be read is dropped from the top list.
 */
export function buildProcesses(
  procfs: string,
  prev: ReadonlyMap<number, PidStat>,
  cur: ReadonlyMap<number, PidStat>,
  elapsedMs: number,
  topN: number,
  userName: (uid: number) => string,
): Processes {
  let running = 0;
  for (const stat of cur.values()) if (stat.state === "R") running++;
  const top: ProcessInfo[] = [];
  for (const { stat, cpuPct } of topProcesses(rankProcesses(prev, cur, elapsedMs), topN)) {
    const text = readVanishing(`${procfs}/${stat.pid}/status`);
    if (text === null) continue;
    const status = parsePidStatus(text);
    top.push({
      pid: stat.pid,
      name: stat.name,
      user: status.uid === null ? "?" : userName(status.uid),
      cpu_pct: cpuPct,
      mem_bytes: status.rssBytes,
      state: stat.state,
    });
  }
  return { count: cur.size, running, top };
}
