// /proc/stat, loadavg and frequency parsing; CPU shares from two readings with known deltas.
import { describe, expect, test } from "bun:test";
import {
  cpuUsage,
  findCpufreqFiles,
  meanKhzToMhz,
  parseBootTimeMs,
  parseCpuinfoMhz,
  parseLoadavg,
  parseProcStat,
  readCpuFreqMhz,
} from "../../../src/collect/linux/cpu.ts";
import { FIRECRACKER_VM, fixtureText, HANDMADE, NODE_EXPORTER } from "./fixtures.ts";

const nodeStat = fixtureText(NODE_EXPORTER, "proc/stat");

/** A /proc/stat "cpu" line from its eight counters. */
function line(label: string, t: readonly number[]): string {
  return `${label} ${t.join(" ")} 0 0`;
}

describe("parseProcStat", () => {
  test("total and per-core jiffies of node_exporter's 8-core machine", () => {
    const stat = parseProcStat(nodeStat);
    expect(stat.total).toEqual({
      user: 301854,
      nice: 612,
      system: 111922,
      idle: 8979004,
      iowait: 3552,
      irq: 2,
      softirq: 3944,
      steal: 0,
    });
    expect([...stat.cores.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(stat.cores.get(7)?.nice).toBe(268);
  });

  test("this VM's capture: two cores with steal time", () => {
    const stat = parseProcStat(fixtureText(FIRECRACKER_VM, "proc/stat"));
    expect(stat.cores.size).toBe(2);
    expect(stat.total.steal).toBeGreaterThan(0);
  });

  test("64 cores", () => {
    const stat = parseProcStat(fixtureText(HANDMADE, "many-cores/proc/stat"));
    expect(stat.cores.size).toBe(64);
    expect(stat.cores.get(63)?.idle).toBe(90000);
  });

  test("an old kernel without iowait and steal columns gives null for them", () => {
    const stat = parseProcStat(fixtureText(HANDMADE, "old-kernel/proc/stat"));
    expect(stat.total.iowait).toBeNull();
    expect(stat.total.steal).toBeNull();
    const usage = cpuUsage(stat, stat);
    expect(usage.iowait_pct).toBeNull();
    expect(usage.steal_pct).toBeNull();
  });

  test("no cpu line is an error, not zeros", () => {
    expect(() => parseProcStat("intr 1\n")).toThrow("no cpu line");
  });

  test("boot time from btime", () => {
    expect(parseBootTimeMs(nodeStat)).toBe(1418183276000);
    expect(parseBootTimeMs("cpu 1 2 3 4\n")).toBeNull();
  });
});

describe("cpuUsage", () => {
  test("exact shares from a hand-made second reading with known deltas", () => {
    // user nice system idle iowait irq softirq steal
    const a = [1000, 100, 500, 8000, 50, 10, 40, 0];
    // deltas: user 30, nice 10, system 15, idle 120, iowait 10, irq 2, softirq 3, steal 10 → 200
    const b = [1030, 110, 515, 8120, 60, 12, 43, 10];
    const core0a = [500, 0, 200, 4000, 0, 0, 0, 0];
    const core0b = [575, 0, 225, 4000, 0, 0, 0, 0]; // 100 busy of 100: 100 %
    const core1a = [500, 0, 200, 4000, 0, 0, 0, 0];
    const core1b = [500, 0, 200, 4100, 0, 0, 0, 0]; // idle: 0 %
    const prev = parseProcStat(
      [line("cpu", a), line("cpu0", core0a), line("cpu1", core1a)].join("\n"),
    );
    const cur = parseProcStat(
      [line("cpu", b), line("cpu0", core0b), line("cpu1", core1b)].join("\n"),
    );
    expect(cpuUsage(prev, cur)).toEqual({
      total_pct: 35, // user 40 + system 20 + steal 10 of 200
      user_pct: 20,
      system_pct: 10,
      iowait_pct: 5,
      steal_pct: 5,
      cores_pct: [100, 0],
    });
  });

  test("64 cores: every core listed, in cpu number order", () => {
    const prev = parseProcStat(fixtureText(HANDMADE, "many-cores/proc/stat"));
    const next = fixtureText(HANDMADE, "many-cores/proc/stat").replace(
      "cpu63 1000 10 500 90000",
      "cpu63 1090 10 500 90010",
    );
    const usage = cpuUsage(prev, parseProcStat(next));
    expect(usage.cores_pct).toHaveLength(64);
    expect(usage.cores_pct[63]).toBe(90);
    expect(usage.cores_pct[0]).toBe(0);
  });

  test("counters that went backwards never give negative or above-100 shares", () => {
    const prev = parseProcStat(line("cpu", [5000, 0, 5000, 5000, 0, 0, 0, 0]));
    const cur = parseProcStat(line("cpu", [100, 0, 100, 5100, 0, 0, 0, 0]));
    const usage = cpuUsage(prev, cur);
    expect(usage.total_pct).toBe(0);
    expect(usage.user_pct).toBe(0);
  });

  test("identical readings (a static fixture) give 0 %, not NaN", () => {
    const stat = parseProcStat(nodeStat);
    const usage = cpuUsage(stat, stat);
    expect(usage.total_pct).toBe(0);
    expect(usage.cores_pct).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  test("a core that came online has no previous reading: its share since boot", () => {
    const prev = parseProcStat(line("cpu", [0, 0, 0, 100, 0, 0, 0, 0]));
    const cur = parseProcStat(
      [line("cpu", [50, 0, 0, 150, 0, 0, 0, 0]), line("cpu0", [50, 0, 0, 150, 0, 0, 0, 0])].join(
        "\n",
      ),
    );
    expect(cpuUsage(prev, cur).cores_pct).toEqual([25]);
  });
});

describe("load and frequency", () => {
  test("load averages", () => {
    expect(parseLoadavg(fixtureText(NODE_EXPORTER, "proc/loadavg"))).toEqual([0.21, 0.37, 0.39]);
    expect(parseLoadavg("garbage")).toBeNull();
  });

  test("cpu MHz mean from cpuinfo", () => {
    expect(parseCpuinfoMhz(fixtureText(NODE_EXPORTER, "proc/cpuinfo"))).toBe(800);
    expect(parseCpuinfoMhz(fixtureText(FIRECRACKER_VM, "proc/cpuinfo"))).toBe(2000);
    expect(parseCpuinfoMhz("processor : 0\nHardware : BCM2835\n")).toBeNull();
  });

  test("scaling_cur_freq files are preferred, as a mean in MHz", () => {
    const files = findCpufreqFiles(`${NODE_EXPORTER}/sys`);
    expect(files).toHaveLength(4);
    // (1699981 * 2 + 8000 * 2) / 4 kHz
    expect(readCpuFreqMhz(`${NODE_EXPORTER}/proc`, files)).toBe(854);
    expect(meanKhzToMhz([null, "garbage", "0"])).toBeNull();
  });

  test("no cpufreq (a VM): cpuinfo; no cpuinfo either: null", () => {
    expect(findCpufreqFiles(`${FIRECRACKER_VM}/sys`)).toEqual([]);
    expect(readCpuFreqMhz(`${FIRECRACKER_VM}/proc`, [])).toBe(2000);
    expect(readCpuFreqMhz(`${HANDMADE}/many-cores/proc`, [])).toBeNull();
  });
});
