// The Linux collectors wired into one Source: /proc and /sys readers, rates from sample pairs.
import { throttled } from "../clock.ts";
import {
  CLK_TCK,
  CPU_FREQ_TTL_MS,
  CPUINFO_FREQ_TTL_MS,
  HOST_FACTS_TTL_MS,
  LOADAVG_TTL_MS,
  SECTION_TIMEOUT_MS,
} from "../constants.ts";
import { GpuReader, sysfsGpuNames } from "../gpus.ts";
import { andThen } from "../maybe.ts";
import { CounterSampler } from "../sampler.ts";
import type { Source, SourceOptions } from "../source.ts";
import { ContainerReader } from "./containers.ts";
import { cpuUsage, findCpufreqFiles, parseProcStat, readCpuFreqMhz, readLoadavg } from "./cpu.ts";
import { DiskIoReader, diskIoRates } from "./disk-io.ts";
import { DiskReader } from "./disks.ts";
import { GuestReader } from "./guests.ts";
import { readHostInfo, readHostname, readUptimeS } from "./hostinfo.ts";
import { parseMeminfo } from "./memory.ts";
import { networkRates, parseNetDev } from "./network.ts";
import { ProcFile } from "./proc-file.ts";
import { buildProcesses, readAllPidStats } from "./processes.ts";
import { hostFileCandidates, makeRoots, readFirst } from "./roots.ts";
import { SensorReader } from "./sensors.ts";
import { UserNames } from "./users.ts";

export function createLinuxSource(options: SourceOptions): Source {
  const roots = makeRoots(options.procfs, options.sysfs);
  const { procfs, sysfs } = roots;
  const { clock, timing } = options;
  const sampler = <T>(read: () => T) => new CounterSampler(read, clock, timing);

  // The files read for every snapshot stay open (see proc-file.ts).
  const statFile = new ProcFile(`${procfs}/stat`);
  const meminfoFile = new ProcFile(`${procfs}/meminfo`);
  const netDevFile = new ProcFile(`${procfs}/net/dev`);

  const cpuTimes = sampler(() => parseProcStat(statFile.read()));
  const loadavgFile = new ProcFile(`${procfs}/loadavg`);
  const loadavg = throttled(clock, LOADAVG_TTL_MS, () => readLoadavg(loadavgFile));
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
  const netCounters = sampler(() => parseNetDev(netDevFile.read()));
  const pidStats = sampler(() => readAllPidStats(procfs));
  const users = new UserNames(() => readFirst(hostFileCandidates(roots, "/etc/passwd")));
  const disks = new DiskReader(roots);
  const sensors = new SensorReader(sysfs);
  // Names from sysfs, not systeminformation: no lspci spawn and no library load on a sender.
  const gpus = new GpuReader({ sysfs, linux: true, names: () => sysfsGpuNames(sysfs) });
  const guests = new GuestReader({ procfs, sysfs, pveDir: options.pveDir }, clock);
  const guestCounters = sampler(guests.read);
  const containers = new ContainerReader(roots, clock);
  const containerCounters = sampler(containers.read);

  const hostname = throttled(clock, HOST_FACTS_TTL_MS, () => readHostname(procfs));
  const memTotalBytes = throttled(
    clock,
    HOST_FACTS_TTL_MS,
    () => parseMeminfo(meminfoFile.read()).total_bytes || null,
  );
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
      cpu: () =>
        andThen(cpuTimes.pair(), ({ prev, cur }) => ({
          ...cpuUsage(prev, cur),
          load: loadavg(),
          freq_mhz: freqMhz(),
        })),
      memory: () => parseMeminfo(meminfoFile.read()),
      disks: () => disks.read(),
      disk_io: () =>
        andThen(diskCounters.pair(), ({ prev, cur, elapsedMs }) =>
          diskIoRates(prev, cur, elapsedMs, diskIo.label),
        ),
      network: () =>
        andThen(netCounters.pair(), ({ prev, cur, elapsedMs }) =>
          networkRates(prev, cur, elapsedMs),
        ),
      sensors: () => sensors.read(),
      gpus: () => gpus.read(),
      processes: () =>
        andThen(pidStats.pairOrFirst(), ({ prev, cur, elapsedMs }) =>
          buildProcesses({
            procfs,
            prev,
            cur,
            elapsedMs,
            topN: options.topProcesses,
            userName: users.name,
            memTotalBytes: memTotalBytes(),
            uptimeTicks: () => (readUptimeS(procfs) ?? 0) * CLK_TCK,
          }),
        ),
      guests: () =>
        andThen(guestCounters.pair(), ({ prev, cur, elapsedMs }) =>
          guests.build(prev, cur, elapsedMs, uptimeS()),
        ),
      containers: () =>
        andThen(containerCounters.pair(), ({ prev, cur, elapsedMs }) =>
          containers.build(prev, cur, elapsedMs, uptimeS()),
        ),
    },
    timeoutsMs: SECTION_TIMEOUT_MS,
    info: async () => readHostInfo(roots),
    uptimeS,
    hostname,
  };
}
