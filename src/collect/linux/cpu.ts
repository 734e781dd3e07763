// CPU: jiffy counters from /proc/stat, load from /proc/loadavg, frequency from cpufreq or
// /proc/cpuinfo; percentages from the difference of two readings.
import { readdirSync } from "node:fs";
import type { Cpu } from "../../protocol/index.ts";
import { percentOf } from "../rates.ts";
import type { ProcFile } from "./proc-file.ts";
import { readOptional } from "./roots.ts";
import { fields, lineEnd, uintColumns } from "./text.ts";

/** Cumulative jiffies of one CPU line. Guest time is already counted in user (and guest_nice in nice). */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  /** null when the kernel line has no such column (very old kernels). */
  iowait: number | null;
  irq: number;
  softirq: number;
  steal: number | null;
}

export interface ProcStat {
  total: CpuTimes;
  /** Per core, keyed by the kernel's cpu number (offline cores are absent from /proc/stat). */
  cores: Map<number, CpuTimes>;
}

const NO_TIME: CpuTimes = {
  user: 0,
  nice: 0,
  system: 0,
  idle: 0,
  iowait: 0,
  irq: 0,
  softirq: 0,
  steal: 0,
};

/** The "cpu" and "cpuN" lines of /proc/stat. */
export function parseProcStat(text: string): ProcStat {
  let total: CpuTimes | undefined;
  const cores = new Map<number, CpuTimes>();
  // The cpu lines come first; stop at the first other line instead of reading the whole file.
  for (let start = 0; start < text.length && text.startsWith("cpu", start); ) {
    const end = lineEnd(text, start);
    // "cpu  user nice ..." for the total, "cpuN user nice ..." per core: N is the first column.
    const isTotal = text.charCodeAt(start + 3) === 32;
    const cols = uintColumns(text, start + 3, end);
    if (isTotal) total = cpuTimes(cols, 0);
    else cores.set(cols[0] ?? Number.NaN, cpuTimes(cols, 1));
    start = end + 1;
  }
  if (!total) throw new Error("no cpu line in /proc/stat");
  return { total, cores };
}

/** The times from column `first` on: user nice system idle iowait irq softirq steal. */
function cpuTimes(cols: readonly number[], first: number): CpuTimes {
  return {
    user: cols[first] ?? 0,
    nice: cols[first + 1] ?? 0,
    system: cols[first + 2] ?? 0,
    idle: cols[first + 3] ?? 0,
    iowait: cols[first + 4] ?? null,
    irq: cols[first + 5] ?? 0,
    softirq: cols[first + 6] ?? 0,
    steal: cols[first + 7] ?? null,
  };
}

/** The boot time in epoch ms from the "btime" line of /proc/stat, or null. */
export function parseBootTimeMs(text: string): number | null {
  const at = text.indexOf("\nbtime ");
  if (at < 0) return null;
  const seconds = Number.parseInt(text.slice(at + 7, at + 30), 10);
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}

export type CpuUsage = Pick<
  Cpu,
  "total_pct" | "user_pct" | "system_pct" | "iowait_pct" | "steal_pct" | "cores_pct"
>;

/**
 * Usage between two readings. user = user + nice; system = system + irq + softirq; total =
 * everything but idle and iowait, so total = user + system + steal. A counter that went
 * backwards counts as zero, and every share is clamped to 0..100.
 */
export function cpuUsage(prev: ProcStat, cur: ProcStat): CpuUsage {
  const shares = timeShares(prev.total, cur.total);
  const cores_pct: number[] = [];
  const ids = [...cur.cores.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const curCore = cur.cores.get(id);
    // A core that just came online has no previous reading: its share since boot is the best known.
    if (curCore) cores_pct.push(timeShares(prev.cores.get(id) ?? NO_TIME, curCore).total_pct);
  }
  return { ...shares, cores_pct };
}

function timeShares(a: CpuTimes, b: CpuTimes) {
  const d = (x: number, y: number) => Math.max(0, y - x);
  const user = d(a.user, b.user) + d(a.nice, b.nice);
  const system = d(a.system, b.system) + d(a.irq, b.irq) + d(a.softirq, b.softirq);
  const idle = d(a.idle, b.idle);
  const iowait = b.iowait === null ? null : d(a.iowait ?? 0, b.iowait);
  const steal = b.steal === null ? null : d(a.steal ?? 0, b.steal);
  const all = user + system + idle + (iowait ?? 0) + (steal ?? 0);
  return {
    total_pct: percentOf(user + system + (steal ?? 0), all),
    user_pct: percentOf(user, all),
    system_pct: percentOf(system, all),
    iowait_pct: iowait === null ? null : percentOf(iowait, all),
    steal_pct: steal === null ? null : percentOf(steal, all),
  };
}

/** The 1, 5 and 15 minute load averages from /proc/loadavg. */
export function parseLoadavg(text: string): [number, number, number] | null {
  const cols = fields(text);
  const [one, five, fifteen] = [Number(cols[0]), Number(cols[1]), Number(cols[2])];
  return Number.isFinite(one) && Number.isFinite(five) && Number.isFinite(fifteen)
    ? [one, five, fifteen]
    : null;
}

/** Mean of the "cpu MHz" lines of /proc/cpuinfo (x86; ARM kernels have none), or null. */
export function parseCpuinfoMhz(text: string): number | null {
  let sum = 0;
  let count = 0;
  let at = text.indexOf("cpu MHz");
  while (at >= 0) {
    const colon = text.indexOf(":", at);
    const mhz = Number.parseFloat(text.slice(colon + 1, colon + 20));
    if (colon > 0 && Number.isFinite(mhz)) {
      sum += mhz;
      count++;
    }
    at = text.indexOf("cpu MHz", at + 7);
  }
  return count > 0 ? Math.round(sum / count) : null;
}

/** Mean of scaling_cur_freq readings (kHz) in MHz, or null when there are none. */
export function meanKhzToMhz(readingsKhz: readonly (string | null)[]): number | null {
  let sum = 0;
  let count = 0;
  for (const text of readingsKhz) {
    const khz = text === null ? Number.NaN : Number.parseInt(text, 10);
    if (khz > 0) {
      sum += khz;
      count++;
    }
  }
  return count > 0 ? Math.round(sum / count / 1000) : null;
}

/** The scaling_cur_freq files of every core that has cpufreq; looked up once (cores rarely change). */
export function findCpufreqFiles(sysfs: string): string[] {
  const base = `${sysfs}/devices/system/cpu`;
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const name of names) {
    if (!name.startsWith("cpu") || !/^cpu\d+$/.test(name)) continue;
    const file = `${base}/${name}/cpufreq/scaling_cur_freq`;
    if (readOptional(file) !== null) files.push(file);
  }
  return files;
}

/** Current mean frequency: cpufreq when the kernel has it (VMs often do not), else /proc/cpuinfo. */
export function readCpuFreqMhz(procfs: string, cpufreqFiles: readonly string[]): number | null {
  if (cpufreqFiles.length > 0) {
    const mhz = meanKhzToMhz(cpufreqFiles.map(readOptional));
    if (mhz !== null) return mhz;
  }
  const cpuinfo = readOptional(`${procfs}/cpuinfo`);
  return cpuinfo === null ? null : parseCpuinfoMhz(cpuinfo);
}

export function readLoadavg(file: ProcFile): [number, number, number] | null {
  try {
    return parseLoadavg(file.read());
  } catch {
    return null;
  }
}
