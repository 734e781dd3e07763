// createCollector end to end: fixture trees, schema validity, caching, coalescing, baselines,
// timeouts.
import { describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import * as v from "valibot";
import { SI_SECTION_TIMEOUT_MS } from "../../../src/collect/constants.ts";
import { createCollector } from "../../../src/collect/index.ts";
import { createSiSource } from "../../../src/collect/si.ts";
import type { PlatformSection, Source } from "../../../src/collect/source.ts";
import {
  HostInfoSchema,
  type Memory,
  SECTIONS,
  SnapshotSchema,
} from "../../../src/protocol/index.ts";
import { FakeClock } from "./fake-clock.ts";
import {
  FIRECRACKER_VM,
  NODE_EXPORTER,
  tempTree,
  withRealSymlinks,
  writeFiles,
} from "./fixtures.ts";

function expectValid(snapshot: unknown): void {
  expect(v.safeParse(SnapshotSchema, snapshot).issues).toBeUndefined();
}

describe("createCollector on node_exporter's tree", () => {
  test("a full snapshot validates, with the tree's content", async () => {
    const root = withRealSymlinks(NODE_EXPORTER);
    const collector = createCollector({
      procfs: `${root}/proc`,
      sysfs: `${root}/sys`,
      clock: new FakeClock(),
    });
    const snapshot = await collector.snapshot(SECTIONS);
    expectValid(snapshot);
    expect(Object.keys(snapshot)).toEqual([
      "v",
      "host",
      "ts_ms",
      "uptime_s",
      ...SECTIONS,
      "errors",
    ]);
    expect(snapshot.host).toBe(hostname()); // the tree has no proc/sys/kernel/hostname
    expect(snapshot.uptime_s).toBeNull(); // nor proc/uptime
    expect(snapshot.cpu?.cores_pct).toHaveLength(8);
    expect(snapshot.cpu?.load).toEqual([0.21, 0.37, 0.39]);
    expect(snapshot.memory?.total_bytes).toBe(3742148 * 1024);
    expect(snapshot.disks?.map((d) => d.mount)).toEqual(["/", "/boot"]);
    expect(snapshot.disk_io?.map((d) => d.device)).toContain("mpathA");
    expect(snapshot.disk_io).toHaveLength(12);
    // Static counters: zero rates, not null ones (both readings exist).
    expect(snapshot.disk_io?.[0]).toMatchObject({ read_bps: 0, write_bps: 0, busy_pct: 0 });
    expect(snapshot.sensors).toHaveLength(15);
    expect(new Set(snapshot.sensors?.map((s) => s.chip))).toEqual(
      new Set(["coretemp", "hwmon4", "mt7996_phy0_0", "mt7996_phy0_1", "mt7996_phy0_2"]),
    );
    // Three pid directories with a stat, none with a status: counted, but no top rows.
    expect(snapshot.processes).toEqual({ count: 3, running: 0, top: [], cpu_window_ms: null });
    // No proc/net/dev there: the section is null with the reason, the snapshot itself is fine.
    expect(snapshot.network).toBeNull();
    expect(snapshot.errors?.network).toContain("ENOENT");
    // health answers its first request at once, with "collecting", and reads in the background.
    expect(snapshot.health).toBeNull();
    expect(snapshot.errors?.health).toStartWith("collecting:");
    expect(Object.keys(snapshot.errors ?? {})).toEqual(["network", "health"]);
  });

  test("only the asked-for sections are keys; no errors key when nothing failed", async () => {
    const collector = createCollector({
      procfs: `${NODE_EXPORTER}/proc`,
      sysfs: `${NODE_EXPORTER}/sys`,
    });
    const snapshot = await collector.snapshot(["memory", "memory"]);
    expect(Object.keys(snapshot)).toEqual(["v", "host", "ts_ms", "uptime_s", "memory"]);
    expect(await collector.snapshot([])).not.toHaveProperty("cpu");
  });

  test("info() is read once and cached", async () => {
    const collector = createCollector({
      procfs: `${NODE_EXPORTER}/proc`,
      sysfs: `${NODE_EXPORTER}/sys`,
    });
    const first = await collector.info();
    expect(v.is(HostInfoSchema, first)).toBe(true);
    expect(first.cpu_cores).toBe(8);
    expect(await collector.info()).toBe(first);
  });
});

describe("caching and coalescing", () => {
  test("two concurrent snapshots share one read per section", async () => {
    const clock = new FakeClock();
    const collector = createCollector({
      procfs: `${FIRECRACKER_VM}/proc`,
      sysfs: `${FIRECRACKER_VM}/sys`,
      clock,
    });
    const [a, b] = await Promise.all([
      collector.snapshot(["cpu", "processes", "memory"]),
      collector.snapshot(["processes", "cpu"]),
    ]);
    // The very same objects: one read served both requests.
    expect(a.cpu).toBe(b.cpu as NonNullable<typeof b.cpu>);
    expect(a.processes).toBe(b.processes as NonNullable<typeof b.processes>);
    // One baseline, for cpu; processes answer at once with averages since start (as ps).
    expect(clock.sleeps).toEqual([200]);
    // Past the TTL, the next request reads again.
    clock.advance(1_000);
    const c = await collector.snapshot(["cpu"]);
    expect(c.cpu).not.toBe(a.cpu as NonNullable<typeof a.cpu>);
    expect(c.cpu).toEqual(a.cpu as NonNullable<typeof a.cpu>); // same static files, same numbers
  });
});

describe("rates from the sender's clock", () => {
  /** /proc/stat whose total line has the given user and idle jiffies (one core, same numbers). */
  const stat = (user: number, idle: number) =>
    `cpu  ${user} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 ${user} 0 0 ${idle} 0 0 0 0 0 0\nbtime 1700000000\n`;
  const netDev = (rx: number, tx: number) =>
    "Inter-|   Receive |  Transmit\n face |bytes packets|bytes packets\n" +
    `  eth0: ${rx} 0 0 0 0 0 0 0 ${tx} 0 0 0 0 0 0 0\n`;

  test("first request: a 200 ms baseline; then the previous reading; after a long idle: a new baseline", async () => {
    const root = tempTree(
      { "proc/stat": stat(1_000, 1_000), "proc/net/dev": netDev(0, 0) },
      "rates",
    );
    const clock = new FakeClock();
    const collector = createCollector({ procfs: `${root}/proc`, sysfs: `${root}/sys`, clock });
    const write = (files: Record<string, string>) => () => writeFiles(root, files);

    // 1. No previous reading: read, wait 200 ms (during which 10 of 20 jiffies are busy), read.
    clock.onSleep = write({ "proc/stat": stat(1_010, 1_010), "proc/net/dev": netDev(2_000, 400) });
    const first = await collector.snapshot(["cpu", "network"]);
    expect(clock.sleeps).toEqual([200, 200]);
    expect(first.cpu?.total_pct).toBe(50);
    expect(first.network?.[0]).toMatchObject({ iface: "eth0", rx_bps: 10_000, tx_bps: 2_000 });

    // 2. One second later: the previous reading is recent, no wait.
    clock.onSleep = undefined;
    clock.advance(1_000);
    writeFiles(root, { "proc/stat": stat(1_030, 1_090), "proc/net/dev": netDev(3_000, 400) });
    const second = await collector.snapshot(["cpu", "network"]);
    expect(clock.sleeps).toHaveLength(2);
    expect(second.cpu?.total_pct).toBe(20); // 20 busy of 100
    expect(second.network?.[0]).toMatchObject({ rx_bps: 1_000, tx_bps: 0 });

    // 3. An hour of idle, busy all along (300 000 busy jiffies); the last 200 ms were idle.
    clock.advance(3_600_000);
    writeFiles(root, { "proc/stat": stat(301_030, 1_090), "proc/net/dev": netDev(9_000_000, 400) });
    clock.onSleep = write({
      "proc/stat": stat(301_030, 1_110),
      "proc/net/dev": netDev(9_000_000, 400),
    });
    const third = await collector.snapshot(["cpu", "network"]);
    expect(clock.sleeps).toHaveLength(4);
    expect(third.cpu?.total_pct).toBe(0); // not ~100 % (the average since the previous request)
    expect(third.network?.[0]).toMatchObject({ rx_bps: 0, tx_bps: 0 });
  });

  test("a counter that went backwards gives null rates, never negative ones", async () => {
    const root = tempTree({ "proc/net/dev": netDev(5_000, 5_000) }, "reset");
    const clock = new FakeClock();
    clock.onSleep = () => writeFiles(root, { "proc/net/dev": netDev(100, 6_000) });
    const collector = createCollector({ procfs: `${root}/proc`, sysfs: `${root}/sys`, clock });
    const snapshot = await collector.snapshot(["network"]);
    expectValid(snapshot);
    expect(snapshot.network?.[0]).toMatchObject({
      rx_bps: null,
      tx_bps: 5_000,
      rx_total_bytes: 100,
    });
  });
});

describe("other trees and platforms", () => {
  test("this VM's capture: every section valid, no sensors, vda only", async () => {
    const collector = createCollector({
      procfs: `${FIRECRACKER_VM}/proc`,
      sysfs: `${FIRECRACKER_VM}/sys`,
      clock: new FakeClock(),
    });
    const snapshot = await collector.snapshot(SECTIONS);
    expectValid(snapshot);
    expect(snapshot.host).toBe("vm");
    expect(snapshot.uptime_s).toBeGreaterThan(0);
    expect(snapshot.sensors).toEqual([]);
    expect(snapshot.disk_io?.map((d) => d.device)).toEqual(["vda"]);
    expect(snapshot.network?.map((n) => n.iface)).toEqual(["ifb0", "ifb1", "eth0"]);
    expect(snapshot.memory?.swap_total_bytes).toBe(0);
    expect(snapshot.processes?.top.map((p) => p.name)).toContain("kthreadd");
  });

  test("the machine running the tests, with the real clock", async () => {
    const collector = createCollector({ topProcesses: 10 });
    const t0 = performance.now();
    const snapshot = await collector.snapshot(SECTIONS);
    expectValid(snapshot);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190); // the first request's baseline
    expect(snapshot.processes?.top.length).toBeLessThanOrEqual(20); // 10 by CPU, 10 by memory
    const cpuPcts = snapshot.processes?.top.map((p) => p.cpu_pct) ?? [];
    expect(cpuPcts).toEqual([...cpuPcts].sort((a, b) => b - a)); // busiest first
    expect(Math.abs(snapshot.ts_ms - Date.now())).toBeLessThan(5_000);
  });

  test("another platform takes the systeminformation path", async () => {
    const collector = createCollector({ platform: "darwin" });
    const snapshot = await collector.snapshot(["memory"]);
    expectValid(snapshot);
    expect(snapshot.memory?.total_bytes).toBeGreaterThan(0);
    expect(v.is(HostInfoSchema, await collector.info())).toBe(true);
  });
});

describe("timeouts", () => {
  /** A source whose cpu reader and info() never answer; memory answers at once. */
  function hangingSource(timeoutMs: number): () => Source {
    const never = () => new Promise<never>(() => {});
    const memory = { total_bytes: 1, used_bytes: 0 } as unknown as Memory;
    return () => ({
      sections: {
        cpu: never,
        memory: () => memory,
        disks: () => [],
        disk_io: () => [],
        network: () => [],
        sensors: () => [],
        gpus: () => [],
        processes: () => ({ count: 0, running: 0, top: [] }),
        guests: () => [],
        containers: () => [],
      },
      timeoutsMs: { ...SI_SECTION_TIMEOUT_MS, cpu: timeoutMs, info: timeoutMs },
      info: never,
      uptimeS: () => null,
      hostname: () => "fake",
    });
  }

  test("a section that hangs is null with a timeout error; the others still answer", async () => {
    const collector = createCollector({ source: hangingSource(50) });
    const t0 = performance.now();
    const snapshot = await collector.snapshot(["cpu", "memory"]);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(snapshot.cpu).toBeNull();
    expect(snapshot.errors).toEqual({ cpu: "cpu timed out after 50 ms" });
    expect(snapshot.memory?.total_bytes).toBe(1);
  });

  test("info() that hangs rejects with a timeout, and is tried again on the next call", async () => {
    const collector = createCollector({ source: hangingSource(50) });
    await expect(collector.info()).rejects.toThrow("host info timed out after 50 ms");
    await expect(collector.info()).rejects.toThrow("host info timed out after 50 ms");
  });

  test("every systeminformation section runs commands that can hang: each has a timeout", () => {
    const source = createSiSource({
      procfs: "/proc",
      sysfs: "/sys",
      pveDir: "/etc/pve",
      topProcesses: 5,
      clock: new FakeClock(),
      timing: { baselineMs: 200, maxSampleAgeMs: 10_000 },
    });
    // health and custom are read the same way on every platform, with their own bounds; guests
    // and containers come from Linux cgroups and are [] at once elsewhere.
    const skip: readonly string[] = ["health", "custom", "guests", "containers"];
    const platformSections = SECTIONS.filter((s): s is PlatformSection => !skip.includes(s));
    for (const key of [...platformSections, "info"] as const) {
      expect(source.timeoutsMs[key]).toBeGreaterThan(0);
    }
  });
});
