// /proc/<pid> parsing, CPU share from two readings, top-N ranking, users, vanished processes.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildProcesses,
  type PidStat,
  type ProcessesInput,
  parsePasswd,
  parsePidStat,
  parsePidStatus,
  rankProcesses,
  readAllPidStats,
  readVanishing,
  topProcesses,
} from "../../../src/collect/linux/processes.ts";
import { FIRECRACKER_VM, fixtureText, HANDMADE, NODE_EXPORTER } from "./fixtures.ts";

const ODD = `${HANDMADE}/odd-procs/proc`;
const users = parsePasswd(fixtureText(HANDMADE, "odd-procs/etc/passwd"));
const userName = (uid: number) => users.get(uid) ?? String(uid);
/** 4,000,000 KiB of memory: Web Content's 360,000 KiB is 9 %. */
const MEM_TOTAL_BYTES = 4_000_000 * 1024;

function input(
  over: Pick<ProcessesInput, "prev" | "cur" | "topN"> & { uptimeTicks?: number },
): ProcessesInput {
  return {
    procfs: ODD,
    elapsedMs: over.prev === null ? 0 : 1_000,
    userName,
    memTotalBytes: MEM_TOTAL_BYTES,
    ...over,
    uptimeTicks: () => over.uptimeTicks ?? 0,
  };
}

function stat(pid: number, cpuTicks: number, rssPages = 0, startTicks = 100): PidStat {
  return {
    pid,
    name: `p${pid}`,
    state: "S",
    cpuTicks,
    startTicks,
    rssPages,
    threads: 1,
    kernel: false,
  };
}

describe("parsePidStat", () => {
  test("names with spaces and parentheses run from the first '(' to the last ')'", () => {
    const names = [812, 1337, 2024, 2025].map(
      (pid) => parsePidStat(fixtureText(ODD, `${pid}/stat`))?.name,
    );
    expect(names).toEqual(["(sd-pam)", "tmux: server", "Web Content", "a) b (c"]);
  });

  test("state, utime + stime, start time, resident pages, threads and kernel threads", () => {
    expect(parsePidStat(fixtureText(ODD, "2024/stat"))).toEqual({
      pid: 2024,
      name: "Web Content",
      state: "R",
      cpuTicks: 18000,
      startTicks: 6000,
      rssPages: 90000,
      threads: 38,
      kernel: false,
    });
    // PF_KTHREAD (0x200000) in the flags, as on every kernel thread.
    expect(parsePidStat(fixtureText(ODD, "2/stat"))?.kernel).toBe(true);
    expect(parsePidStat(fixtureText(NODE_EXPORTER, "proc/11/stat"))?.kernel).toBe(true);
    expect(parsePidStat(fixtureText(NODE_EXPORTER, "proc/1/stat"))?.kernel).toBe(false);
    // node_exporter's pid 1: utime 36, stime 98, start 29, rss 2507.
    expect(parsePidStat(fixtureText(NODE_EXPORTER, "proc/1/stat"))).toMatchObject({
      name: "systemd",
      cpuTicks: 134,
      startTicks: 29,
      rssPages: 2507,
    });
    expect(parsePidStat(fixtureText(NODE_EXPORTER, "proc/11/stat"))?.state).toBe("I");
  });

  test("garbage is rejected, not half-parsed", () => {
    expect(parsePidStat("")).toBeNull();
    expect(parsePidStat("12 (x) S")).toBeNull();
  });
});

describe("parsePidStatus and passwd", () => {
  test("VmRSS in bytes and the effective uid", () => {
    expect(parsePidStatus(fixtureText(ODD, "2024/status"))).toEqual({
      rssBytes: 360000 * 1024,
      uid: 1000,
    });
  });

  test("kernel threads have no VmRSS: 0 bytes", () => {
    expect(parsePidStatus(fixtureText(ODD, "2/status"))).toEqual({ rssBytes: 0, uid: 0 });
    expect(parsePidStatus(fixtureText(FIRECRACKER_VM, "proc/12/status")).rssBytes).toBe(0);
  });

  test("passwd: uid → name, comments skipped", () => {
    expect([...users]).toEqual([
      [0, "root"],
      [1, "daemon"],
      [1000, "alice"],
    ]);
  });
});

describe("CPU share and ranking", () => {
  test("percent of one core over the sender's interval (CLK_TCK 100)", () => {
    const prev = new Map([
      [1, stat(1, 1_000)],
      [2, stat(2, 50)],
    ]);
    // 500 ms: 75 ticks = 0.75 s of CPU = 150 % (a process busy on two cores), 1 tick = 2 %
    const cur = new Map([
      [1, stat(1, 1_075)],
      [2, stat(2, 51)],
    ]);
    expect(rankProcesses(prev, cur, 500).map((r) => [r.stat.pid, r.cpuPct])).toEqual([
      [1, 150],
      [2, 2],
    ]);
  });

  test("a new pid, or a reused one (other start time), counts all its ticks within the interval", () => {
    const prev = new Map([[7, stat(7, 5_000, 0, 100)]]);
    const cur = new Map([
      [7, stat(7, 20, 0, 9_999)],
      [8, stat(8, 10, 0, 10_000)],
    ]);
    expect(rankProcesses(prev, cur, 1_000).map((r) => r.cpuPct)).toEqual([20, 10]);
  });

  test("no time or no ticks: 0, never negative", () => {
    const prev = new Map([[1, stat(1, 100)]]);
    const cur = new Map([[1, stat(1, 90)]]);
    expect(rankProcesses(prev, cur, 1_000)[0]?.cpuPct).toBe(0);
    expect(rankProcesses(cur, cur, 0)[0]?.cpuPct).toBe(0);
  });

  test("top N: highest CPU first, ties by resident memory, then pid", () => {
    const ranked = [
      { stat: stat(5, 0, 10), cpuPct: 0 },
      { stat: stat(4, 0, 99), cpuPct: 0 },
      { stat: stat(3, 0, 1), cpuPct: 12.5 },
      { stat: stat(2, 0, 10), cpuPct: 0 },
      { stat: stat(1, 0, 1), cpuPct: 80 },
    ];
    expect(topProcesses(ranked, 2).map((r) => r.stat.pid)).toEqual([1, 3, 4, 2]);
  });

  test("the top N by CPU and the top N by memory together: an idle memory hog is listed", () => {
    const ranked = [
      { stat: stat(10, 0, 100_000), cpuPct: 0 }, // the largest, idle
      { stat: stat(11, 0, 50_000), cpuPct: 0 },
      { stat: stat(12, 0, 10), cpuPct: 30 },
      { stat: stat(13, 0, 20), cpuPct: 20 },
      { stat: stat(14, 0, 30), cpuPct: 10 },
    ];
    // Top 2 by CPU (12, 13) and top 2 by memory (10, 11), highest CPU first.
    expect(topProcesses(ranked, 2).map((r) => r.stat.pid)).toEqual([12, 13, 10, 11]);
    // Overlap is listed once.
    expect(topProcesses([{ stat: stat(1, 0, 9), cpuPct: 9 }], 2)).toHaveLength(1);
  });

  test("without a previous reading: each process's average since it started, as ps shows it", () => {
    // Started at tick 100, 10 s ago at uptime tick 1100; 250 ticks of CPU = 25 % of one core.
    const cur = new Map([[7, stat(7, 250, 0, 100)]]);
    expect(rankProcesses(null, cur, 0, 1_100)[0]?.cpuPct).toBe(25);
    // Not started yet by the uptime read (clock skew): 0, never negative or infinite.
    expect(rankProcesses(null, cur, 0, 100)[0]?.cpuPct).toBe(0);
  });
});

describe("reading /proc", () => {
  test("every numeric directory with a stat; one that vanished before the read is skipped", () => {
    const stats = readAllPidStats(ODD);
    expect([...stats.keys()].sort((a, b) => a - b)).toEqual([
      1, 2, 15, 812, 1337, 2024, 2025, 3000,
    ]);
  });

  test("node_exporter's proc: the directory names the pid", () => {
    // proc/10/stat there holds pid 17's line; we read status by directory, so trust the directory.
    expect([...readAllPidStats(`${NODE_EXPORTER}/proc`).keys()].sort()).toEqual([1, 10, 11]);
  });

  test("a vanished process reads as null; other errors are real", () => {
    expect(readVanishing(`${ODD}/999999/stat`)).toBeNull();
    expect(() => readVanishing(`${ODD}/1`)).toThrow(); // EISDIR is not "process gone"
  });

  test("the section: count, running, top N with users and memory; a process gone before its status read is dropped", () => {
    const cur = readAllPidStats(ODD);
    // A previous reading 1 s earlier, with known tick deltas.
    const prev = new Map(cur);
    prev.set(2024, { ...(cur.get(2024) as PidStat), cpuTicks: 18_000 - 45 });
    prev.set(1337, { ...(cur.get(1337) as PidStat), cpuTicks: 1_000 - 2 });
    prev.set(3000, { ...(cur.get(3000) as PidStat), cpuTicks: 15 - 10 });
    const processes = buildProcesses(input({ prev, cur, topN: 3 }));
    expect(processes.count).toBe(8);
    expect(processes.running).toBe(2);
    expect(processes.cpu_window_ms).toBe(1_000);
    const common = { threads: 1, kernel: false };
    expect(processes.top).toEqual([
      {
        pid: 2024,
        name: "Web Content",
        user: "alice",
        cpu_pct: 45,
        mem_bytes: 360000 * 1024,
        mem_pct: 9,
        state: "R",
        ...common,
        threads: 38,
      },
      // pid 3000 (10 %) exited before its status was read: not listed.
      {
        pid: 1337,
        name: "tmux: server",
        user: "alice",
        cpu_pct: 2,
        mem_bytes: 10000 * 1024,
        mem_pct: 0.25,
        state: "S",
        ...common,
      },
      // Ties at 0 % by resident memory; listed as one of the 3 largest.
      {
        pid: 1,
        name: "systemd",
        user: "root",
        cpu_pct: 0,
        mem_bytes: 12000 * 1024,
        mem_pct: 0.3,
        state: "S",
        ...common,
      },
    ]);
  });

  test("the first reading after a long idle: averages since start, no window, no wait", () => {
    const cur = readAllPidStats(ODD);
    // Uptime 100 s = 10,000 ticks; Web Content started at tick 6000 with 18,000 ticks of CPU.
    const processes = buildProcesses(input({ prev: null, cur, topN: 2, uptimeTicks: 10_000 }));
    expect(processes.cpu_window_ms).toBeNull();
    expect(processes.top[0]).toMatchObject({ pid: 2024, cpu_pct: 450 });
  });

  test("unknown uids show as the number; kernel threads with 0 bytes", () => {
    const cur = readAllPidStats(ODD);
    const top = buildProcesses(input({ prev: cur, cur, topN: 50 })).top;
    expect(top.find((p) => p.pid === 2025)?.user).toBe("4242");
    expect(top.find((p) => p.pid === 15)).toMatchObject({
      name: "rcu_preempt",
      mem_bytes: 0,
      state: "I",
      kernel: true,
    });
  });

  test("the machine running the tests: its own process is listed with real numbers", () => {
    const cur = readAllPidStats("/proc");
    const processes = buildProcesses({
      ...input({ prev: cur, cur, topN: 1_000 }),
      procfs: "/proc",
    });
    expect(processes.count).toBeGreaterThan(1);
    const self = processes.top.find((p) => p.pid === process.pid);
    expect(self?.mem_bytes).toBeGreaterThan(1024 * 1024);
  });

  test("command lines and environments are never read", () => {
    const dir = join(import.meta.dir, "../../../src/collect");
    const files = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      expect(readFileSync(join(dir, String(file)), "utf8")).not.toMatch(/\/(cmdline|environ)\b/);
    }
  });
});
