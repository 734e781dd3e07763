// One cgroup's usage and limits, from cgroup v2 (<sysfs>/fs/cgroup) or, on hosts still on the
// legacy hierarchy, from the v1 controllers (cpuacct, memory, blkio, cpu) under the same path.
import { existsSync, readdirSync, statSync } from "node:fs";
import { CLK_TCK } from "../constants.ts";
import { CgroupFiles } from "./cgroup-files.ts";
import { cores, key, keyedValue, parseCpuMax, sumAfter, wholeUint } from "./cgroup-parse.ts";
import { parsePidStat } from "./processes.ts";
import { readOptional } from "./roots.ts";

export type CgroupTree =
  | { version: 2; root: string }
  /** Legacy or hybrid: one hierarchy per controller; listings come from cpuacct's. */
  | { version: 1; root: string };

/** What a cgroup counted so far; null where its controller is not there. */
export interface CgroupCounters {
  cpuUsec: number;
  memBytes: number | null;
  readBytes: number | null;
  writeBytes: number | null;
}

/** What changes slowly, read every CGROUP_LIMITS_TTL_MS rather than per snapshot. */
export interface CgroupSlowFacts {
  memLimitBytes: number | null;
  /** The CPU quota in cores (cpu.max 150000 100000 → 1.5); null when unlimited. */
  cores: number | null;
  /**
   * Page cache the kernel drops first (memory.stat's inactive_file): not counted as used, as
   * docker stats does. memory.stat is the largest file of a cgroup and the costliest for the
   * kernel to write; this part of it moves slowly next to memory.current.
   */
  inactiveFileBytes: number;
}

/**
 * The hierarchy under <sysfs>/fs/cgroup: v2 when its root has cgroup.controllers; v1 when the
 * controllers are mounted one per directory (a hybrid host's v2 part, `unified/`, holds no
 * controllers then, so v1 is where the numbers are); null without cgroups.
 */
export function findCgroupTree(sysfs: string): CgroupTree | null {
  const root = `${sysfs}/fs/cgroup`;
  if (existsSync(`${root}/cgroup.controllers`)) return { version: 2, root };
  if (existsSync(`${root}/cpuacct`)) return { version: 1, root };
  return null;
}

/** Link counts of the parent cgroups a listing read, by relative path; 0 for one not there. */
export type ParentLinks = Map<string, number>;

/** A directory's link count (2 + its subdirectories on cgroupfs), 0 when it is not there. */
export function linkCount(dir: string): number {
  // Most layouts are absent on a given host: existsSync is far cheaper than a stat that fails.
  return existsSync(dir) ? (statSync(dir, { throwIfNoEntry: false })?.nlink ?? 0) : 0;
}

/**
 * Every entry of a cgroup's directory, files included: the callers match names that only cgroups
 * have (101.scope, docker-<id>.scope), which spares a stat per entry. [] when it is not there.
 * With `links`, the directory's link count is recorded first (see cgroup-list.ts): a child made
 * between the two shows as a change at the next look, never as none.
 */
export function cgroupEntries(tree: CgroupTree, rel: string, links?: ParentLinks): string[] {
  const dir = dirOf(tree, "cpuacct", rel);
  const count = linkCount(dir);
  links?.set(rel, count);
  if (count === 0) return [];
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Subdirectory names of a cgroup (relative path, "" for the root); [] when it is not there. */
export function cgroupChildren(tree: CgroupTree, rel: string): string[] {
  try {
    return readdirSync(dirOf(tree, "cpuacct", rel), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** The directory of a cgroup in one controller's hierarchy (v2 has only one). */
export function dirOf(tree: CgroupTree, controller: string, rel: string): string {
  const base = tree.version === 2 ? tree.root : `${tree.root}/${controller}`;
  return rel === "" ? base : `${base}/${rel}`;
}

const USAGE_USEC = key("usage_usec");
const INACTIVE_FILE = key("inactive_file");
const TOTAL_INACTIVE_FILE = key("total_inactive_file");
const RBYTES = Buffer.from(" rbytes=");
const WBYTES = Buffer.from(" wbytes=");
const BLKIO_READ = Buffer.from(" Read ");
const BLKIO_WRITE = Buffer.from(" Write ");

/** Reads counters and limits of many cgroups, keeping their files open between calls. */
export class CgroupReader {
  readonly #files = new CgroupFiles();
  /**
   * v2 directories by relative path, of this round and the last: the same string each time, so
   * that the kept files' maps find it by its cached hash instead of hashing a new path.
   */
  #dirs = new Map<string, string>();
  #lastDirs = new Map<string, string>();

  /** The counters of one cgroup, or null when it is gone (its CPU file cannot be found). */
  counters(tree: CgroupTree, rel: string): CgroupCounters | null {
    return tree.version === 2 ? this.#v2(tree, rel) : this.#v1(tree, rel);
  }

  /**
   * Memory and CPU limits and the inactive file cache. "max" (v2) and v1's "unlimited" (2^63
   * rounded down to a page, beyond what a double holds) are null.
   */
  slowFacts(tree: CgroupTree, rel: string): CgroupSlowFacts {
    const files = this.#files;
    if (tree.version === 2) {
      const dir = dirOf(tree, "", rel);
      const memLimitBytes = wholeUint(files.bytes(dir, "memory.max"));
      const memoryStat = files.bytes(dir, "memory.stat");
      return {
        memLimitBytes,
        inactiveFileBytes: memoryStat === null ? 0 : (keyedValue(memoryStat, INACTIVE_FILE) ?? 0),
        cores: parseCpuMax(files.read(dir, "cpu.max")),
      };
    }
    const cpu = dirOf(tree, "cpu", rel);
    const quota = wholeUint(files.bytes(cpu, "cpu.cfs_quota_us")) ?? 0;
    const period = wholeUint(files.bytes(cpu, "cpu.cfs_period_us")) ?? 0;
    const memory = dirOf(tree, "memory", rel);
    const memLimitBytes = wholeUint(files.bytes(memory, "memory.limit_in_bytes"));
    const memoryStat = files.bytes(memory, "memory.stat");
    return {
      memLimitBytes,
      inactiveFileBytes:
        memoryStat === null ? 0 : (keyedValue(memoryStat, TOTAL_INACTIVE_FILE) ?? 0),
      cores: cores(quota, period),
    };
  }

  /** Close the files of cgroups not read since the last call (guests that stopped). */
  endRound(): void {
    this.#files.endRound();
    this.#lastDirs = this.#dirs;
    this.#dirs = new Map();
  }

  /** Any file read along with the cgroups (a container's /proc/<pid>/net/dev), kept open the same way. */
  read(dir: string, file: string): string | null {
    return this.#files.read(dir, file);
  }

  /** As read, the bytes: valid until the next read. */
  bytes(dir: string, file: string): Buffer | null {
    return this.#files.bytes(dir, file);
  }

  #v2(tree: CgroupTree, rel: string): CgroupCounters | null {
    const files = this.#files;
    const dir = this.#lastDirs.get(rel) ?? dirOf(tree, "", rel);
    this.#dirs.set(rel, dir);
    const cpuStat = files.bytes(dir, "cpu.stat");
    const cpuUsec = cpuStat === null ? null : keyedValue(cpuStat, USAGE_USEC);
    if (cpuUsec === null) return null;
    // Each bytes() result is read before the next file replaces it in the shared buffer.
    const memBytes = wholeUint(files.bytes(dir, "memory.current"));
    const io = files.bytes(dir, "io.stat");
    return {
      cpuUsec,
      memBytes,
      readBytes: io === null ? null : sumAfter(io, RBYTES),
      writeBytes: io === null ? null : sumAfter(io, WBYTES),
    };
  }

  #v1(tree: CgroupTree, rel: string): CgroupCounters | null {
    const files = this.#files;
    const usageNs = wholeUint(files.bytes(dirOf(tree, "cpuacct", rel), "cpuacct.usage"));
    if (usageNs === null) return null;
    const memory = dirOf(tree, "memory", rel);
    const memBytes = wholeUint(files.bytes(memory, "memory.usage_in_bytes"));
    const blkio = files.bytes(
      dirOf(tree, "blkio", rel),
      "blkio.throttle.io_service_bytes_recursive",
    );
    return {
      cpuUsec: Math.floor(usageNs / 1000),
      memBytes,
      readBytes: blkio === null ? null : sumAfter(blkio, BLKIO_READ),
      writeBytes: blkio === null ? null : sumAfter(blkio, BLKIO_WRITE),
    };
  }
}

const FIRST_PLACES = new Set(["ns", "init.scope", "container"]);

/**
 * The first pid of the cgroup's cgroup.procs, or of the first child cgroup that has one (an LXC
 * container's processes live in lxc/<ctid>/ns/...): a few levels at most; null when none.
 */
export function cgroupFirstPid(tree: CgroupTree, rel: string): number | null {
  const queue = [{ rel, depth: 0 }];
  for (let visited = 0; visited < 16; visited++) {
    const next = queue.shift();
    if (next === undefined) return null;
    const procs = readOptional(`${dirOf(tree, "cpuacct", next.rel)}/cgroup.procs`);
    const pid = procs === null ? Number.NaN : Number.parseInt(procs, 10);
    if (pid > 0) return pid;
    if (next.depth < 3) {
      // Where the oldest process lives first: a CT's ns/ and init.scope, Podman's container/.
      const children = cgroupChildren(tree, next.rel).sort(
        (a, b) => Number(FIRST_PLACES.has(b)) - Number(FIRST_PLACES.has(a)),
      );
      for (const child of children) {
        queue.push({ rel: `${next.rel}/${child}`, depth: next.depth + 1 });
      }
    }
  }
  return null;
}

/** When a process started, in seconds after boot; null when it is gone. */
export function processStartS(procfs: string, pid: number | null): number | null {
  if (pid === null) return null;
  const stat = parsePidStat(readOptional(`${procfs}/${pid}/stat`) ?? "");
  return stat ? stat.startTicks / CLK_TCK : null;
}
