// The Linux collectors wired into one Source: /proc and /sys readers, rates from sample pairs.
import type { Cpu, Processes } from "../../protocol/index.ts";
import { CPU_FREQ_TTL_MS, CPUINFO_FREQ_TTL_MS, HOST_FACTS_TTL_MS } from "../constants.ts";
import { GpuReader, sysfsGpuNames } from "../gpus.ts";
import { CounterSampler } from "../sampler.ts";
import type { Source, SourceOptions } from "../source.ts";
import { cpuUsage, findCpufreqFiles, readCpuFreqMhz, readLoadavg, readProcStat } from "./cpu.ts";
import { DiskIoReader, diskIoRates } from "./disk-io.ts";
import { DiskReader } from "./disks.ts";
import { readHostInfo, readHostname, readUptimeS } from "./hostinfo.ts";
import { readMemory } from "./memory.ts";
import { networkRates, readNetDev } from "./network.ts";
import { buildProcesses, readAllPidStats } from "./processes.ts";
import { hostFileCandidates, makeRoots, readFirst } from "./roots.ts";
import { SensorReader } from "./sensors.ts";
import { UserNames } from "./users.ts";

export function createLinuxSource(options: SourceOptions): Source {
  const roots = makeRoots(options.procfs, options.sysfs);
  const { procfs, sysfs } = roots;
  const { clock, timing } = options;
  const sampler = <T>(read: () => T) => new CounterSampler(read, clock, timing);

  const cpuTimes = sampler(() => readProcStat(procfs));
  let cpufreqFiles: string[] | undefined;
  let freq: { mhz: number | null; atMs: number } | undefined;
  const freqMhz = (): number | null => {
    const now = clock.nowMs();
    cpufreqFiles ??= findCpufreqFiles(sysfs);
    const ttlMs = cpufreqFiles.length > 0 ? CPU_FREQ_TTL_MS : CPUINFO_FREQ_TTL_MS;
    if (!freq || now - freq.atMs >= ttlMs) {
      freq = { mhz: readCpuFreqMhz(procfs, cpufreqFiles), atMs: now };
    }
    return freq.mhz;
  };

  const diskIo = new DiskIoReader(procfs, sysfs);
  const diskCounters = sampler(() => diskIo.read());
  const netCounters = sampler(() => readNetDev(procfs));
  const pidStats = sampler(() => readAllPidStats(procfs));
  const users = new UserNames(() => readFirst(hostFileCandidates(roots, "/etc/passwd")));
  const disks = new DiskReader(roots);
  const sensors = new SensorReader(sysfs);
  // Names from sysfs, not systeminformation: no lspci spawn and no library load on a sender.
  const gpus = new GpuReader({ sysfs, linux: true, names: () => sysfsGpuNames(sysfs) });

  let host: { name: string; atMs: number } | undefined;
  const hostname = (): string => {
    const now = clock.nowMs();
    if (!host || now - host.atMs >= HOST_FACTS_TTL_MS)
      host = { name: readHostname(procfs), atMs: now };
    return host.name;
  };
  let uptime: { s: number | null; atMs: number } | undefined;
  const uptimeS = (): number | null => {
    const now = clock.nowMs();
    if (!uptime || uptime.s === null || now - uptime.atMs >= HOST_FACTS_TTL_MS) {
      uptime = { s: readUptimeS(procfs), atMs: now };
    }
    return uptime.s === null ? null : uptime.s + Math.floor((now - uptime.atMs) / 1000);
  };

  return {
    sections: {
      async cpu(): Promise<Cpu> {
        const { prev, cur } = await cpuTimes.pair();
        return { ...cpuUsage(prev, cur), load: readLoadavg(procfs), freq_mhz: freqMhz() };
      },
      memory: async () => readMemory(procfs),
      disks: () => disks.read(),
      async disk_io() {
        const { prev, cur, elapsedMs } = await diskCounters.pair();
        return diskIoRates(prev, cur, elapsedMs, diskIo.label);
      },
      async network() {
        const { prev, cur, elapsedMs } = await netCounters.pair();
        return networkRates(prev, cur, elapsedMs);
      },
      sensors: () => sensors.read(),
      gpus: () => gpus.read(),
      async processes(): Promise<Processes> {
        const { prev, cur, elapsedMs } = await pidStats.pair();
        return buildProcesses(procfs, prev, cur, elapsedMs, options.topProcesses, users.name);
      },
    },
    info: async () => readHostInfo(roots),
    uptimeS,
    hostname,
  };
}
