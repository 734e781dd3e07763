// The systeminformation path: real calls on this machine, and normalising the values si returns.
import { describe, expect, test } from "bun:test";
import type { Systeminformation } from "systeminformation";
import * as v from "valibot";
import { systemClock } from "../../../src/collect/clock.ts";
import {
  createSiSource,
  mapCpuTemperature,
  mapCurrentLoad,
  mapFsSize,
  mapMem,
  mapNetworkStats,
  mapProcesses,
} from "../../../src/collect/si.ts";
import {
  CpuSchema,
  MemorySchema,
  NetworkSchema,
  ProcessesSchema,
} from "../../../src/protocol/index.ts";

/** si's types promise numbers; the values it returns on a bad day. */
const junk = Number.NaN as unknown as number;
const none = null as unknown as number;

describe("systeminformation on this machine", () => {
  test("cpu, memory and network map to valid sections", async () => {
    const source = createSiSource({
      procfs: "/proc",
      sysfs: "/sys",
      pveDir: "/etc/pve",
      topProcesses: 5,
      clock: systemClock,
      timing: { baselineMs: 200, maxSampleAgeMs: 10_000 },
    });
    const [cpu, memory, network] = await Promise.all([
      source.sections.cpu(),
      source.sections.memory(),
      source.sections.network(),
    ]);
    expect(v.safeParse(CpuSchema, cpu).issues).toBeUndefined();
    expect(v.safeParse(MemorySchema, memory).issues).toBeUndefined();
    for (const iface of network) expect(v.safeParse(NetworkSchema, iface).issues).toBeUndefined();
    expect(memory.total_bytes).toBeGreaterThan(0);
    expect(cpu.cores_pct.length).toBeGreaterThan(0);
    expect(network.some((n) => n.iface === "lo")).toBe(false);
    // The baseline gave rates for every interface already on the first call.
    for (const iface of network) expect(iface.rx_bps).not.toBeNull();
  });
});

describe("normalising si's values", () => {
  test("a load without a total is an error; NaN elsewhere never passes", () => {
    const load = {
      currentLoad: junk,
      cpus: [{ load: 10 }, { load: junk }],
    } as unknown as Systeminformation.CurrentLoadData;
    expect(() => mapCurrentLoad(load, "darwin")).toThrow("no CPU load");
    const ok = mapCurrentLoad({ ...load, currentLoad: 12.345, currentLoadUser: none }, "win32");
    expect(ok).toMatchObject({
      total_pct: 12.35,
      user_pct: 0,
      cores_pct: [10, 0],
      load: null,
      steal_pct: null,
    });
    expect(v.safeParse(CpuSchema, ok).issues).toBeUndefined();
  });

  test("memory: used = total - available, swap bounded", () => {
    const mem = {
      total: 1000,
      available: junk,
      free: 400,
      buffcache: none,
      swaptotal: 10,
      swapused: 50,
    };
    expect(mapMem(mem as unknown as Systeminformation.MemData)).toEqual({
      total_bytes: 1000,
      used_bytes: 600,
      available_bytes: 400,
      cached_bytes: null,
      swap_total_bytes: 10,
      swap_used_bytes: 10,
    });
  });

  test("filesystems: zero-size ones dropped, unknown sizes null", () => {
    const list = [
      { fs: "C:", type: "NTFS", size: 500, used: 100, available: junk, mount: "C:" },
      {
        fs: "map auto_home",
        type: "autofs",
        size: 0,
        used: 0,
        available: 0,
        mount: "/System/Volumes/Data/home",
      },
    ] as unknown as Systeminformation.FsSizeData[];
    expect(mapFsSize(list)).toEqual([
      {
        mount: "C:",
        fs: "NTFS",
        device: "C:",
        total_bytes: 500,
        used_bytes: 100,
        available_bytes: null,
      },
    ]);
  });

  test("network: loopbacks and rows without counters left out", () => {
    const list = [
      { iface: "lo0", rx_bytes: 1, tx_bytes: 1 },
      { iface: "Loopback Pseudo-Interface 1", rx_bytes: 1, tx_bytes: 1 },
      { iface: "en0", rx_bytes: 100, tx_bytes: 200 },
      { iface: "utun3", rx_bytes: junk, tx_bytes: 1 },
    ] as unknown as Systeminformation.NetworkStatsData[];
    expect(mapNetworkStats(list)).toEqual([{ iface: "en0", rxBytes: 100, txBytes: 200 }]);
  });

  test("temperatures: unknown (-1, null, NaN) left out", () => {
    const t = { main: 51.5, cores: [50, -1, junk], max: 53, socket: [], chipset: none };
    expect(mapCpuTemperature(t as unknown as Systeminformation.CpuTemperatureData)).toEqual([
      { label: "CPU", chip: "cpu", celsius: 51.5, max_celsius: null, crit_celsius: null },
      { label: "Core 0", chip: "cpu", celsius: 50, max_celsius: null, crit_celsius: null },
    ]);
  });

  test("processes: share of one core, top N by CPU and by memory, state letters", () => {
    const data = {
      all: 4,
      running: 1,
      list: [
        { pid: 10, name: "idle", user: "bob", cpu: 0, mem: 1.5, memRss: 100, state: "sleeping" },
        { pid: 11, name: "busy", user: "bob", cpu: 25, memRss: junk, state: "running" },
        { pid: 12, name: "small", user: "bob", cpu: 0, memRss: 1, state: "sleeping" },
        { pid: junk, name: "broken" },
      ],
    } as unknown as Systeminformation.ProcessesData;
    // Windows: si's share is of the whole 4-core machine → × 4 for one core.
    const win = mapProcesses(data, 1, "win32", 4);
    expect(win).toEqual({
      count: 4,
      running: 1,
      top: [
        { pid: 11, name: "busy", user: "bob", cpu_pct: 100, mem_bytes: 0, state: "R" },
        // The largest, though idle.
        {
          pid: 10,
          name: "idle",
          user: "bob",
          cpu_pct: 0,
          mem_bytes: 102400,
          mem_pct: 1.5,
          state: "S",
        },
      ],
    });
    expect(v.safeParse(ProcessesSchema, win).issues).toBeUndefined();
    // macOS: ps already reports one core's share.
    expect(mapProcesses(data, 1, "darwin", 4).top[0]?.cpu_pct).toBe(25);
  });
});
