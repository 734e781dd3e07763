// The systeminformation path, used on macOS and Windows: every section and HostInfo mapped to
// our types, with si's values checked on the way in (they can be null, undefined or NaN).
import os from "node:os";
import type { Systeminformation } from "systeminformation";
import {
  type Cpu,
  type Disk,
  type DiskIo,
  type HostInfo,
  type Memory,
  type NetworkIface,
  PROTOCOL_VERSION,
  type Processes,
  type ProcessInfo,
  type Sensor,
} from "../protocol/index.ts";
import { VERSION } from "../version.ts";
import { SI_SECTION_TIMEOUT_MS } from "./constants.ts";
import { GpuReader } from "./gpus.ts";
import { type IfaceCounters, networkRates } from "./linux/network.ts";
import { counterRate, round2 } from "./rates.ts";
import { CounterSampler } from "./sampler.ts";
import type { Source, SourceOptions } from "./source.ts";
import { topByCpuAndMemory } from "./top.ts";

type Si = typeof import("systeminformation");

let siModule: Promise<Si> | undefined;
/** Imported on first use: loading systeminformation costs ~40 ms the Linux sender never pays. */
function loadSi(): Promise<Si> {
  siModule ??= import("systeminformation").then((m) => m.default);
  return siModule;
}

/** A finite number, else null: si's types promise numbers where it returns null, undefined or NaN. */
export function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A byte count: finite, non-negative, whole. */
export function byteCount(value: unknown): number | null {
  const n = finite(value);
  return n === null || n < 0 ? null : Math.round(n);
}

/** A percentage clamped to 0..100, or null. */
export function percent(value: unknown): number | null {
  const n = finite(value);
  return n === null ? null : round2(Math.min(100, Math.max(0, n)));
}

function required<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`systeminformation returned no ${what}`);
  return value;
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

const LOOPBACK = /^(lo\d*|Loopback.*)$/i;

export function mapCurrentLoad(load: Systeminformation.CurrentLoadData, platform: string): Cpu {
  const cores = Array.isArray(load.cpus) ? load.cpus : [];
  const speeds = os
    .cpus()
    .map((c) => c.speed)
    .filter((mhz) => mhz > 0);
  const loadavg = os.loadavg();
  return {
    total_pct: required(percent(load.currentLoad), "CPU load"),
    user_pct:
      percent((finite(load.currentLoadUser) ?? 0) + (finite(load.currentLoadNice) ?? 0)) ?? 0,
    system_pct:
      percent((finite(load.currentLoadSystem) ?? 0) + (finite(load.currentLoadIrq) ?? 0)) ?? 0,
    iowait_pct: null,
    // Only Linux guests have steal time; elsewhere si reports a constant 0.
    steal_pct: platform === "linux" ? percent(load.currentLoadSteal) : null,
    // A core si could not measure reads 0 rather than breaking the list's order.
    cores_pct: cores.map((c) => percent(c.load) ?? 0),
    // Windows has no load average (Node reports zeros).
    load:
      platform === "win32" || loadavg.length < 3
        ? null
        : [round2(loadavg[0] ?? 0), round2(loadavg[1] ?? 0), round2(loadavg[2] ?? 0)],
    freq_mhz:
      speeds.length > 0 ? Math.round(speeds.reduce((a, b) => a + b, 0) / speeds.length) : null,
  };
}

export function mapMem(mem: Systeminformation.MemData): Memory {
  const total = required(byteCount(mem.total), "memory total");
  const available = Math.min(total, byteCount(mem.available) ?? byteCount(mem.free) ?? 0);
  const swapTotal = byteCount(mem.swaptotal) ?? 0;
  return {
    total_bytes: total,
    used_bytes: total - available,
    available_bytes: available,
    cached_bytes: byteCount(mem.buffcache),
    swap_total_bytes: swapTotal,
    swap_used_bytes: Math.min(swapTotal, byteCount(mem.swapused) ?? 0),
  };
}

export function mapFsSize(list: readonly Systeminformation.FsSizeData[]): Disk[] {
  const disks: Disk[] = [];
  for (const fs of list) {
    const total = byteCount(fs.size);
    if (total === 0) continue;
    disks.push({
      mount: text(fs.mount),
      fs: text(fs.type),
      device: text(fs.fs),
      total_bytes: total,
      used_bytes: byteCount(fs.used),
      available_bytes: byteCount(fs.available),
    });
  }
  return disks;
}

export function mapNetworkStats(
  list: readonly Systeminformation.NetworkStatsData[],
): IfaceCounters[] {
  const out: IfaceCounters[] = [];
  for (const n of list) {
    const iface = text(n.iface);
    const rxBytes = byteCount(n.rx_bytes);
    const txBytes = byteCount(n.tx_bytes);
    if (iface === "" || LOOPBACK.test(iface) || rxBytes === null || txBytes === null) continue;
    out.push({ iface, rxBytes, txBytes });
  }
  return out;
}

/** si's CPU temperatures: the package, each core, each socket and the chipset, where known. */
export function mapCpuTemperature(t: Systeminformation.CpuTemperatureData): Sensor[] {
  const sensors: Sensor[] = [];
  const add = (label: string, value: unknown) => {
    const celsius = finite(value);
    // si reports -1 or 0 for "unknown"; a running CPU is never at or below 0 °C.
    if (celsius === null || celsius <= 0 || celsius > 200) return;
    sensors.push({ label, chip: "cpu", celsius, max_celsius: null, crit_celsius: null });
  };
  add("CPU", t.main);
  for (const [i, c] of (Array.isArray(t.cores) ? t.cores : []).entries()) add(`Core ${i}`, c);
  for (const [i, c] of (Array.isArray(t.socket) ? t.socket : []).entries()) add(`Socket ${i}`, c);
  add("Chipset", t.chipset);
  return sensors;
}

const STATE_LETTERS: Record<string, string> = {
  running: "R",
  sleeping: "S",
  blocked: "D",
  zombie: "Z",
  stopped: "T",
  idle: "I",
};

/**
 * The busiest and the largest processes. si's CPU share is of ONE core on macOS (ps pcpu) but of the whole
 * machine on Windows and Linux; scale to one core, as top shows it.
 */
export function mapProcesses(
  data: Systeminformation.ProcessesData,
  topN: number,
  platform: string,
  cores: number,
): Processes {
  const perCore = platform === "darwin" ? 1 : Math.max(1, cores);
  const list = Array.isArray(data.list) ? data.list : [];
  const all: ProcessInfo[] = [];
  for (const p of list) {
    const pid = byteCount(p.pid);
    if (pid === null) continue;
    all.push({
      pid,
      name: text(p.name) || "?",
      user: text(p.user) || "?",
      cpu_pct: round2(Math.max(0, (finite(p.cpu) ?? 0) * perCore)),
      mem_bytes: (byteCount(p.memRss) ?? 0) * 1024,
      state: STATE_LETTERS[text(p.state)] ?? "?",
      ...(finite(p.mem) !== null ? { mem_pct: round2(Math.min(100, Math.max(0, p.mem))) } : {}),
    });
  }
  return {
    count: byteCount(data.all) ?? list.length,
    running: byteCount(data.running) ?? all.filter((p) => p.state === "R").length,
    top: topByCpuAndMemory(all, topN, {
      cpu: (p) => p.cpu_pct,
      memory: (p) => p.mem_bytes,
      pid: (p) => p.pid,
    }),
  };
}

export function createSiSource(options: SourceOptions): Source {
  const platform = process.platform;
  const { clock, timing } = options;
  // si keeps its own previous reading for CPU and process shares; the sampler only decides when
  // to take a fresh baseline (two calls BASELINE_MS apart) after a long idle.
  const loads = new CounterSampler(async () => (await loadSi()).currentLoad(), clock, timing);
  const procs = new CounterSampler(async () => (await loadSi()).processes(), clock, timing);
  const netCounters = new CounterSampler(
    async () => mapNetworkStats(await (await loadSi()).networkStats("*")),
    clock,
    timing,
  );
  const fsCounters = new CounterSampler(async () => (await loadSi()).fsStats(), clock, timing);
  const gpus = new GpuReader({ sysfs: options.sysfs, linux: false });

  return {
    sections: {
      cpu: async () => mapCurrentLoad((await loads.pair()).cur, platform),
      memory: async () => mapMem(await (await loadSi()).mem()),
      disks: async () => mapFsSize(await (await loadSi()).fsSize()),
      async disk_io(): Promise<DiskIo[]> {
        const { prev, cur, elapsedMs } = await fsCounters.pair();
        // fsStats covers all disks together, and only on Linux and macOS (null elsewhere).
        const readBytes = byteCount(cur?.rx);
        const writeBytes = byteCount(cur?.wx);
        if (readBytes === null || writeBytes === null) return [];
        return [
          {
            device: "all",
            read_bps: counterRate(byteCount(prev?.rx) ?? undefined, readBytes, elapsedMs),
            write_bps: counterRate(byteCount(prev?.wx) ?? undefined, writeBytes, elapsedMs),
            busy_pct: null,
            read_total_bytes: readBytes,
            write_total_bytes: writeBytes,
          },
        ];
      },
      async network(): Promise<NetworkIface[]> {
        const { prev, cur, elapsedMs } = await netCounters.pair();
        return networkRates(prev, cur, elapsedMs);
      },
      sensors: async () => mapCpuTemperature(await (await loadSi()).cpuTemperature()),
      gpus: () => gpus.read(),
      processes: async () =>
        mapProcesses((await procs.pair()).cur, options.topProcesses, platform, os.cpus().length),
      // Proxmox guests and containers are read from Linux cgroups: none here.
      guests: () => [],
      containers: () => [],
    },
    timeoutsMs: SI_SECTION_TIMEOUT_MS,
    info: () => readSiHostInfo(platform),
    uptimeS: () => Math.floor(os.uptime()),
    hostname: () => os.hostname(),
  };
}

async function readSiHostInfo(platform: string): Promise<HostInfo> {
  const si = await loadSi();
  const [osInfo, cpu, mem] = await Promise.all([si.osInfo(), si.cpu(), si.mem()]);
  const cpus = os.cpus();
  const osName = [text(osInfo.distro), text(osInfo.release)].filter((s) => s !== "").join(" ");
  const cpuModel = [text(cpu.manufacturer), text(cpu.brand)].filter((s) => s !== "").join(" ");
  // Whole seconds, so the value is the same on every call.
  const bootS = Math.round(Date.now() / 1000 - os.uptime());
  return {
    v: PROTOCOL_VERSION,
    hostname: text(osInfo.hostname) || os.hostname(),
    platform,
    os: osName || os.type(),
    kernel: text(osInfo.kernel) || os.release(),
    arch: process.arch,
    cpu_model: cpuModel || cpus[0]?.model || "unknown",
    cpu_cores: byteCount(cpu.cores) || cpus.length,
    memory_total_bytes: byteCount(mem.total) ?? os.totalmem(),
    boot_time_ms: bootS * 1000,
    hwm_version: VERSION,
  };
}
