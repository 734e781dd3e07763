// The fleet simulator: many fake senders in one process, each speaking the sender API with
// drifting, realistic Proxmox-VM snapshots; black-holed ones accept TCP and never answer, like a
// hung machine. `hwm demo` serves a dozen characters from it; the benchmarks and tests use it
// for fleets of hundreds (scripts/bench/fleet-harness.ts is its command line).
import type { Server, TCPSocketListener } from "bun";
import { topByCpuAndMemory } from "../collect/top.ts";
import {
  decode,
  type HostInfo,
  PROTOCOL_VERSION,
  parseSections,
  SECTIONS,
  type Section,
  type Snapshot,
  WsRequestSchema,
  type WsResponse,
} from "../protocol/index.ts";
import { offeredProtocols, presentedToken, tokensEqual, WS_PROTOCOL } from "../server/auth.ts";
import { VERSION } from "../version.ts";
import { SimulatedGuests } from "./guests.ts";
import { type HealthKind, SimulatedHealth } from "./health.ts";
import { clamp, createRng, GiB, intBetween, MiB, pick, type Rng, round2, walk } from "./random.ts";

/**
 * What a simulated host is like: a quiet VM, one at full CPU, one with a sensor over its limit,
 * one with a nearly full root filesystem, one with a GPU at work, a Proxmox host with guests and
 * containers, one whose disk fails its S.M.A.R.T. self-assessment, one with a failed systemd
 * unit. Offline and unauthorized hosts are fleet-level (a black hole, a sender wanting another
 * token).
 */
export type Character =
  | "quiet"
  | "busy"
  | "hot"
  | "full"
  | "gpu"
  | "hypervisor"
  | "failing-disk"
  | "failed-unit";

const HEALTH_KIND: Record<Character, HealthKind> = {
  quiet: "vm",
  busy: "vm",
  hot: "vm",
  full: "vm",
  gpu: "vm",
  hypervisor: "hypervisor",
  "failing-disk": "failing-disk",
  "failed-unit": "failed-unit",
};

export interface FleetHost {
  name: string;
  character?: Character | "offline" | "unauthorized";
}

export interface FleetOptions {
  senders: number;
  /** Named hosts with their character, served before the `senders` numbered ones. */
  hosts?: readonly FleetHost[];
  blackholed?: number;
  /** Every fake sender requires this token; undefined: no auth, like a token-less loopback node. */
  token?: string;
  /** Seeds the random walks, so two runs serve the same fleet. */
  seed?: number;
}

export interface FleetSender {
  name: string;
  url: string;
  /** Accepts TCP connections and never answers. */
  blackholed: boolean;
}

export interface Fleet {
  senders: FleetSender[];
  /** Info and snapshot answers served so far by all fake senders (HTTP and WebSocket). */
  requests(): number;
  /** The same, per sender name (black-holed senders serve none). */
  requestsBySender(): Map<string, number>;
  stop(): Promise<void>;
}

// --- one fake host ---

interface DiskState {
  mount: string;
  fs: string;
  device: string;
  totalBytes: number;
  usedBytes: number;
}
interface DiskIoState {
  device: string;
  readBps: number;
  writeBps: number;
  busyPct: number;
  readTotalBytes: number;
  writeTotalBytes: number;
}
interface NetState {
  iface: string;
  rxBps: number;
  txBps: number;
  rxTotalBytes: number;
  txTotalBytes: number;
}
interface SensorState {
  label: string;
  chip: string;
  celsius: number;
  /** Where its random walk pulls it; its starting point when unset. */
  meanCelsius?: number;
  maxCelsius: number | null;
  critCelsius: number | null;
}
interface GpuState {
  name: string;
  vendor: string;
  utilPct: number;
  memUsedBytes: number;
  memTotalBytes: number;
  celsius: number;
  powerWatts: number;
}
interface ProcState {
  pid: number;
  name: string;
  user: string;
  cpuPct: number;
  meanCpuPct: number;
  memBytes: number;
  kernel: boolean;
}

const OSES = [
  ["Debian GNU/Linux 12 (bookworm)", "6.1.0-28-amd64"],
  ["Debian GNU/Linux 11 (bullseye)", "5.10.0-33-amd64"],
  ["Ubuntu 24.04.1 LTS", "6.8.0-49-generic"],
  ["Ubuntu 22.04.5 LTS", "5.15.0-126-generic"],
  ["Rocky Linux 9.5 (Blue Onyx)", "5.14.0-503.14.1.el9_5.x86_64"],
  ["Alpine Linux v3.20", "6.6.58-0-virt"],
] as const;
const CPU_MODELS = [
  "QEMU Virtual CPU version 2.5+",
  "Common KVM processor",
  "AMD EPYC 7302P 16-Core Processor",
  "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz",
  "AMD Ryzen 9 5950X 16-Core Processor",
  "Intel(R) Core(TM) i5-12500",
] as const;
const CORE_COUNTS = [2, 2, 2, 4, 4, 4, 6, 8, 8, 12, 16] as const;

const SYSTEM_PROCS: readonly [string, string][] = [
  ["systemd", "root"],
  ["systemd-journal", "root"],
  ["systemd-udevd", "root"],
  ["systemd-network", "systemd-network"],
  ["systemd-resolve", "systemd-resolve"],
  ["systemd-logind", "root"],
  ["systemd-timesyn", "systemd-timesync"],
  ["dbus-daemon", "messagebus"],
  ["cron", "root"],
  ["rsyslogd", "root"],
  ["sshd", "root"],
  ["agetty", "root"],
  ["qemu-ga", "root"],
  ["chronyd", "_chrony"],
  ["polkitd", "polkitd"],
  ["unattended-upgr", "root"],
  ["bash", "admin"],
  ["tmux: server", "admin"],
  ["hwm", "hwm"],
];
const KERNEL_THREADS = [
  "kthreadd",
  "rcu_preempt",
  "kswapd0",
  "kcompactd0",
  "khugepaged",
  "jbd2/sda1-8",
  "kauditd",
  "watchdogd",
] as const;
/** What the VM is for decides its busiest processes. */
const WORKLOADS: readonly (readonly [string, string, number])[][] = [
  [
    ["nginx", "www-data", 4],
    ["php-fpm8.2", "www-data", 6],
    ["redis-server", "redis", 1],
  ],
  [
    ["postgres", "postgres", 12],
    ["pgbouncer", "postgres", 1],
  ],
  [
    ["dockerd", "root", 1],
    ["containerd", "root", 1],
    ["containerd-shim", "root", 6],
    ["node", "node", 3],
    ["python3", "app", 2],
  ],
  [
    ["jellyfin", "jellyfin", 1],
    ["ffmpeg", "jellyfin", 2],
    ["smbd", "root", 3],
  ],
  [
    ["java", "minecraft", 1],
    ["screen", "minecraft", 1],
  ],
  [
    ["prometheus", "prometheus", 1],
    ["grafana", "grafana", 1],
    ["loki", "loki", 1],
    ["alertmanager", "prometheus", 1],
  ],
  [
    ["gitea", "git", 1],
    ["act_runner", "git", 2],
    ["mariadbd", "mysql", 1],
  ],
  [
    ["pihole-FTL", "pihole", 1],
    ["unbound", "unbound", 1],
    ["lighttpd", "www-data", 1],
  ],
];

const USER_FILLERS = ["sshd", "bash", "(sd-pam)", "systemd", "sleep", "less", "htop"] as const;

const NIC_NAMES = ["vmbr1", "docker0", "tailscale0", "wg0", "vmbr0"] as const;

class FakeHost {
  readonly name: string;
  readonly info: HostInfo;
  private readonly rng: Rng;
  private readonly cores: number;
  private readonly busyMeanPct: number;
  private corePct: number[];
  private iowaitPct: number;
  private stealPct: number;
  private load: [number, number, number];
  private readonly freqMhz: number | null;
  private memUsedBytes: number;
  private cachedBytes: number;
  private readonly swapTotalBytes: number;
  private swapUsedBytes: number;
  private readonly disks: DiskState[];
  private readonly diskIo: DiskIoState[];
  private readonly nets: NetState[];
  private readonly sensors: SensorState[];
  private readonly gpu: GpuState | null;
  private readonly procs: ProcState[];
  /** A hypervisor's VMs, CTs and containers; null on the others (empty lists on the wire). */
  private readonly guests: SimulatedGuests | null;
  private readonly health: SimulatedHealth;
  private readonly baseProcCount: number;
  private procCount: number;
  /** When the counters were last advanced; null before the first snapshot (rates need two). */
  private lastMs: number | null = null;
  /** The time between the last two snapshots; null after the first. */
  private windowMs: number | null = null;

  constructor(name: string, seed: number, character: Character = "quiet") {
    this.name = name;
    const rng = createRng(seed);
    this.rng = rng;
    const now = Date.now();
    const [os, kernel] = pick(rng, OSES);
    this.cores = pick(rng, CORE_COUNTS);
    let memTotalBytes =
      pick(rng, [2, 4, 4, 8, 8, 16, 32, 64]) * GiB - intBetween(rng, 0, 200) * MiB;
    // A Proxmox host: a real CPU with room for its guests.
    if (character === "hypervisor") [this.cores, memTotalBytes] = [16, 64 * GiB - 1800 * MiB];
    const bootMs = Math.round((now - intBetween(rng, 3600, 90 * 86400) * 1000) / 1000) * 1000;
    this.info = {
      v: PROTOCOL_VERSION,
      hostname: name,
      platform: "linux",
      os,
      kernel,
      arch: "x64",
      cpu_model: pick(rng, CPU_MODELS),
      cpu_cores: this.cores,
      memory_total_bytes: memTotalBytes,
      boot_time_ms: bootMs,
      hwm_version: VERSION,
    };

    this.busyMeanPct = pick(rng, [2, 3, 5, 8, 12, 20, 35, 60]);
    if (character === "busy") this.busyMeanPct = 93;
    if (character === "hypervisor") this.busyMeanPct = 22;
    this.corePct = Array.from({ length: this.cores }, () => this.busyMeanPct * (0.5 + rng()));
    this.iowaitPct = rng() * 2;
    this.stealPct = rng() * 1.5;
    const l = (this.busyMeanPct / 100) * this.cores;
    this.load = [l, l, l];
    this.freqMhz =
      rng() < 0.15 ? null : pick(rng, [1999.999, 2399.998, 2794.748, 3000.0, 3393.624]);

    this.memUsedBytes = Math.round(memTotalBytes * (0.15 + rng() * 0.6));
    this.cachedBytes = Math.round((memTotalBytes - this.memUsedBytes) * (0.2 + rng() * 0.6));
    this.swapTotalBytes = rng() < 0.3 ? 0 : pick(rng, [512 * MiB, 1 * GiB, 2 * GiB, 4 * GiB]);
    this.swapUsedBytes = Math.round(this.swapTotalBytes * rng() * 0.2);

    // Proxmox disks: virtio-scsi shows sdX, virtio-blk vdX.
    const bus = rng() < 0.7 ? "sd" : "vd";
    const blockDevices = ["a", "b", "c"].slice(0, intBetween(rng, 1, 3)).map((l) => `${bus}${l}`);
    const rootBytes = pick(rng, [8, 16, 32, 64, 100]) * GiB;
    const diskPlans: [string, string, string, number][] = [
      ["/", "ext4", `/dev/${bus}a1`, rootBytes],
      ["/boot/efi", "vfat", `/dev/${bus}a15`, 124 * MiB],
      ["/var/lib/docker", "xfs", `/dev/${blockDevices[1] ?? `${bus}a`}1`, 200 * GiB],
      ["/srv/data", "zfs", "tank/data", 2000 * GiB],
    ];
    this.disks = diskPlans.slice(0, intBetween(rng, 1, 4)).map(([mount, fs, device, total]) => ({
      mount,
      fs,
      device,
      totalBytes: total,
      usedBytes: Math.round(total * (0.1 + rng() * 0.75)),
    }));
    this.diskIo = blockDevices.map((device) => ({
      device,
      readBps: rng() * 200_000,
      writeBps: rng() * 500_000,
      busyPct: rng() * 3,
      readTotalBytes: intBetween(rng, 1, 400) * GiB,
      writeTotalBytes: intBetween(rng, 1, 900) * GiB,
    }));

    const nicCount = intBetween(rng, 2, 6);
    const vmid = intBetween(rng, 100, 999);
    const ifaces = ["ens18"];
    const extras = [...NIC_NAMES, `veth${vmid}i0`, `tap${vmid}i0`, `fwbr${vmid}i0`];
    while (ifaces.length < nicCount) {
      const candidate = pick(rng, extras);
      if (!ifaces.includes(candidate)) ifaces.push(candidate);
    }
    this.nets = ifaces.map((iface, i) => ({
      iface,
      rxBps: rng() * (i === 0 ? 2_000_000 : 200_000),
      txBps: rng() * (i === 0 ? 800_000 : 100_000),
      rxTotalBytes: intBetween(rng, 1, 5000) * MiB,
      txTotalBytes: intBetween(rng, 1, 2000) * MiB,
    }));

    const sensors: SensorState[] = [
      { label: "temp1", chip: "acpitz", celsius: 27.8, maxCelsius: null, critCelsius: 105 },
    ];
    if (rng() < 0.4)
      sensors.push({
        label: "Package id 0",
        chip: "coretemp",
        celsius: 45 + rng() * 15,
        maxCelsius: 80,
        critCelsius: 100,
      });
    if (rng() < 0.3)
      sensors.push({
        label: "Composite",
        chip: "nvme",
        celsius: 38 + rng() * 10,
        maxCelsius: 82.85,
        critCelsius: 84.85,
      });
    if (character === "hot") {
      sensors.push({
        label: "Package id 0",
        chip: "coretemp",
        celsius: 92,
        meanCelsius: 92,
        maxCelsius: 80,
        critCelsius: 100,
      });
    }
    this.sensors = sensors;
    const root = this.disks[0];
    if (character === "full" && root) root.usedBytes = Math.round(root.totalBytes * 0.97);

    this.gpu =
      rng() < 0.1 || character === "gpu"
        ? {
            name: pick(rng, [
              "NVIDIA GeForce RTX 3060",
              "NVIDIA Tesla P4",
              "Intel UHD Graphics 770",
            ]),
            vendor: "nvidia",
            utilPct: rng() * 30,
            memUsedBytes: intBetween(rng, 200, 4000) * MiB,
            memTotalBytes: 8 * GiB,
            celsius: 40 + rng() * 20,
            powerWatts: 20 + rng() * 60,
          }
        : null;
    if (this.gpu?.name.startsWith("Intel")) this.gpu.vendor = "intel";
    if (this.gpu && character === "gpu") this.gpu.utilPct = 75;

    if (character === "hypervisor") {
      Object.assign(this.info, {
        os: "Debian GNU/Linux 12 (bookworm)",
        kernel: "6.8.12-4-pve",
        cpu_model: "AMD Ryzen 9 5950X 16-Core Processor",
      });
    }
    // Their own generator: the rest of the host draws the same numbers with or without them.
    this.guests =
      character === "hypervisor" ? new SimulatedGuests(createRng(seed ^ 0x5bd1e995), now) : null;
    this.health = new SimulatedHealth(HEALTH_KIND[character], now);

    this.baseProcCount = intBetween(rng, 70, 300);
    this.procCount = this.baseProcCount;
    this.procs = this.buildProcesses(memTotalBytes);
  }

  private buildProcesses(memTotalBytes: number): ProcState[] {
    const rng = this.rng;
    const procs: ProcState[] = [];
    let pid = 1;
    const add = (
      name: string,
      user: string,
      meanCpuPct: number,
      memBytes: number,
      kernel = false,
    ) => {
      procs.push({ pid, name, user, cpuPct: meanCpuPct, meanCpuPct, memBytes, kernel });
      pid += intBetween(rng, 1, kernel ? 3 : 400);
    };
    add("systemd", "root", 0.1, intBetween(rng, 9, 14) * MiB);
    for (const name of KERNEL_THREADS) add(name, "root", rng() * 0.2, 0, true);
    for (let cpu = 0; cpu < this.cores; cpu++) {
      add(`ksoftirqd/${cpu}`, "root", rng() * 0.5, 0, true);
      add(`kworker/${cpu}:1-events`, "root", rng() * 0.5, 0, true);
      add(`migration/${cpu}`, "root", rng() * 0.05, 0, true);
    }
    for (const [name, user] of SYSTEM_PROCS.slice(1))
      add(name, user, rng() * 0.3, intBetween(rng, 2, 40) * MiB);
    // The workload: its processes hold most of the memory and the CPU.
    const workload = pick(rng, WORKLOADS);
    const workloadMemBytes = this.memUsedBytes * 0.7;
    const instances = workload.reduce((sum, [, , n]) => sum + n, 0);
    for (const [name, user, count] of workload) {
      for (let i = 0; i < count; i++) {
        const meanCpuPct = ((this.busyMeanPct * this.cores) / instances) * (0.3 + rng() * 1.4);
        add(name, user, meanCpuPct, Math.round((workloadMemBytes / instances) * (0.5 + rng())));
      }
    }
    // Fill up to a top-50 table (the host has 70+ processes): more kernel workers and sessions.
    for (let n = 0; procs.length < Math.min(60, this.baseProcCount); n++) {
      if (n % 3 === 2)
        add(pick(rng, USER_FILLERS), "admin", rng() * 0.1, intBetween(rng, 1, 9) * MiB);
      else add(`kworker/u${this.cores * 2}:${n}-events_unbound`, "root", rng() * 0.2, 0, true);
    }
    for (const p of procs) p.memBytes = Math.min(p.memBytes, memTotalBytes);
    return procs;
  }

  /** Move every value one step and the counters by their rates over the time since last asked. */
  private advance(nowMs: number): void {
    const rng = this.rng;
    this.windowMs = this.lastMs === null ? null : Math.max(0, Math.round(nowMs - this.lastMs));
    const dtS = this.lastMs === null ? 0 : clamp((nowMs - this.lastMs) / 1000, 0, 3600);
    this.lastMs = nowMs;

    this.corePct = this.corePct.map((pct) => walk(rng, pct, 6, this.busyMeanPct, 0, 100));
    this.iowaitPct = walk(rng, this.iowaitPct, 0.5, 0.8, 0, 20);
    this.stealPct = walk(rng, this.stealPct, 0.3, 0.5, 0, 10);
    const runnable = (this.totalPct() / 100) * this.cores + (this.iowaitPct / 100) * this.cores;
    const [l1, l5, l15] = this.load;
    const n1 = clamp(l1 + (runnable - l1) * 0.08 + (rng() - 0.5) * 0.1, 0, this.cores * 4);
    this.load = [n1, l5 + (n1 - l5) * 0.0167, l15 + (n1 - l15) * 0.0056];

    const total = this.info.memory_total_bytes;
    this.memUsedBytes = Math.round(
      walk(rng, this.memUsedBytes, total * 0.004, this.memUsedBytes, total * 0.05, total * 0.97),
    );
    const available = total - this.memUsedBytes;
    this.cachedBytes = Math.round(
      walk(rng, this.cachedBytes, total * 0.002, this.cachedBytes, 0, available),
    );
    this.swapUsedBytes = Math.round(
      walk(rng, this.swapUsedBytes, 256 * 1024, this.swapUsedBytes, 0, this.swapTotalBytes),
    );

    for (const d of this.disks) {
      const grownBytes = Math.round((rng() - 0.45) * 4 * MiB);
      d.usedBytes = clamp(d.usedBytes + grownBytes, 0, d.totalBytes);
    }
    for (const d of this.diskIo) {
      d.readBps = walk(rng, d.readBps, 60_000, 150_000, 0, 200_000_000);
      d.writeBps = walk(rng, d.writeBps, 120_000, 400_000, 0, 200_000_000);
      d.busyPct = walk(rng, d.busyPct, 0.6, 1.5, 0, 100);
      d.readTotalBytes += Math.round(d.readBps * dtS);
      d.writeTotalBytes += Math.round(d.writeBps * dtS);
    }
    for (const n of this.nets) {
      n.rxBps = walk(rng, n.rxBps, 80_000, 300_000, 0, 1_250_000_000);
      n.txBps = walk(rng, n.txBps, 40_000, 120_000, 0, 1_250_000_000);
      n.rxTotalBytes += Math.round(n.rxBps * dtS);
      n.txTotalBytes += Math.round(n.txBps * dtS);
    }
    for (const s of this.sensors) {
      s.celsius = walk(rng, s.celsius, 0.4, s.meanCelsius ?? s.celsius, 20, 95);
    }
    if (this.gpu) {
      const g = this.gpu;
      g.utilPct = walk(rng, g.utilPct, 5, g.utilPct > 50 ? 75 : 15, 0, 100);
      g.memUsedBytes = Math.round(
        walk(rng, g.memUsedBytes, 20 * MiB, g.memUsedBytes, 0, g.memTotalBytes),
      );
      g.celsius = walk(rng, g.celsius, 0.5, 50, 30, 90);
      g.powerWatts = walk(rng, g.powerWatts, 3, 40, 5, 250);
    }
    for (const p of this.procs) {
      p.cpuPct = walk(
        rng,
        p.cpuPct,
        Math.max(0.05, p.meanCpuPct * 0.3),
        p.meanCpuPct,
        0,
        100 * this.cores,
      );
      if (!p.kernel) p.memBytes = Math.max(0, p.memBytes + Math.round((rng() - 0.5) * 256 * 1024));
    }
    this.guests?.advance();
    this.procCount = Math.round(
      walk(
        rng,
        this.procCount,
        2,
        this.baseProcCount,
        Math.max(this.procs.length, this.baseProcCount - 15),
        this.baseProcCount + 15,
      ),
    );
  }

  /** Kernel workers idle (I), a database now and then waits on disk (D), the rest sleep (S). */
  private sleepState(p: ProcState): string {
    if (p.kernel && p.name.startsWith("kworker")) return "I";
    if (p.name === "postgres" && this.rng() < 0.05) return "D";
    return "S";
  }

  private totalPct(): number {
    return this.corePct.reduce((a, b) => a + b, 0) / this.corePct.length;
  }

  private section(section: Section, first: boolean, nowMs: number): Snapshot[Section] {
    const rate = (bps: number) => (first ? null : Math.round(bps));
    switch (section) {
      case "cpu": {
        const total = this.totalPct();
        return {
          total_pct: round2(total),
          user_pct: round2(total * 0.72),
          system_pct: round2(total * 0.25),
          iowait_pct: round2(this.iowaitPct),
          steal_pct: round2(Math.min(this.stealPct, total * 0.03)),
          cores_pct: this.corePct.map(round2),
          load: [round2(this.load[0]), round2(this.load[1]), round2(this.load[2])],
          freq_mhz: this.freqMhz,
        };
      }
      case "memory":
        return {
          total_bytes: this.info.memory_total_bytes,
          used_bytes: this.memUsedBytes,
          available_bytes: this.info.memory_total_bytes - this.memUsedBytes,
          cached_bytes: this.cachedBytes,
          swap_total_bytes: this.swapTotalBytes,
          swap_used_bytes: this.swapUsedBytes,
        };
      case "disks":
        return this.disks.map((d) => ({
          mount: d.mount,
          fs: d.fs,
          device: d.device,
          total_bytes: d.totalBytes,
          used_bytes: d.usedBytes,
          // ext4 keeps 5 % for root; others give everything.
          available_bytes: Math.max(
            0,
            d.totalBytes - d.usedBytes - (d.fs === "ext4" ? Math.round(d.totalBytes * 0.05) : 0),
          ),
        }));
      case "disk_io":
        return this.diskIo.map((d) => ({
          device: d.device,
          read_bps: rate(d.readBps),
          write_bps: rate(d.writeBps),
          busy_pct: first ? null : round2(d.busyPct),
          read_total_bytes: d.readTotalBytes,
          write_total_bytes: d.writeTotalBytes,
        }));
      case "network":
        return this.nets.map((n) => ({
          iface: n.iface,
          rx_bps: rate(n.rxBps),
          tx_bps: rate(n.txBps),
          rx_total_bytes: n.rxTotalBytes,
          tx_total_bytes: n.txTotalBytes,
        }));
      case "sensors":
        return this.sensors.map((s) => ({
          label: s.label,
          chip: s.chip,
          celsius: round2(s.celsius),
          max_celsius: s.maxCelsius,
          crit_celsius: s.critCelsius,
        }));
      case "gpus":
        return this.gpu
          ? [
              {
                name: this.gpu.name,
                vendor: this.gpu.vendor,
                util_pct: round2(this.gpu.utilPct),
                mem_used_bytes: this.gpu.memUsedBytes,
                mem_total_bytes: this.gpu.memTotalBytes,
                celsius: round2(this.gpu.celsius),
                power_watts: round2(this.gpu.powerWatts),
              },
            ]
          : [];
      case "processes": {
        // As a real sender lists them: the top 50 by CPU and the top 50 by memory.
        const top = topByCpuAndMemory([...this.procs], 50, {
          cpu: (p) => p.cpuPct,
          memory: (p) => p.memBytes,
          pid: (p) => p.pid,
        });
        const running = clamp(top.filter((p) => p.cpuPct > 20).length, 1, this.cores);
        const memTotalBytes = this.info.memory_total_bytes;
        return {
          count: this.procCount,
          running,
          cpu_window_ms: this.windowMs,
          top: top.map((p, i) => ({
            pid: p.pid,
            name: p.name,
            user: p.user,
            cpu_pct: round2(p.cpuPct),
            mem_bytes: p.memBytes,
            mem_pct: round2(Math.min(100, (p.memBytes * 100) / memTotalBytes)),
            threads: p.kernel ? 1 : 1 + (p.pid % 17),
            kernel: p.kernel,
            state: i < running ? "R" : this.sleepState(p),
          })),
        };
      }
      case "health":
        return this.health.health(nowMs);
      case "custom":
        return this.health.custom(nowMs);
      case "guests":
        return this.guests?.guests(nowMs) ?? [];
      case "containers":
        return this.guests?.containers(nowMs) ?? [];
    }
  }

  snapshot(sections: readonly Section[], nowMs = Date.now()): Snapshot {
    const first = this.lastMs === null;
    this.advance(nowMs);
    const snapshot: Snapshot = {
      v: PROTOCOL_VERSION,
      host: this.name,
      ts_ms: nowMs,
      uptime_s: Math.floor((nowMs - (this.info.boot_time_ms ?? nowMs)) / 1000),
    };
    const out = snapshot as Record<Section, unknown>;
    for (const section of sections) out[section] = this.section(section, first, nowMs);
    return snapshot;
  }
}

// --- the servers ---

interface WsData {
  host: FakeHost;
}

function jsonError(status: number, code: string, message: string, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

function wsErrorText(code: "bad_json" | "bad_message", message: string, id: number | null): string {
  return JSON.stringify({ id, type: "error", error: { code, message } });
}

/** The id of a message that parsed as JSON but failed validation, so the error can be matched. */
function idOf(value: unknown): number | null {
  if (typeof value !== "object" || value === null || !("id" in value)) return null;
  const id = (value as { id: unknown }).id;
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

function startFakeSender(
  host: FakeHost,
  token: string | undefined,
  count: () => void,
): Server<WsData> {
  const authorized = (req: Request): boolean => {
    if (token === undefined) return true;
    const presented = presentedToken(req);
    return presented !== null && tokensEqual(presented, token);
  };
  return Bun.serve<WsData>({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req, server) {
      const url = new URL(req.url);
      if (url.pathname === "/healthz") return new Response("ok");
      if (!url.pathname.startsWith("/api/") && url.pathname !== "/metrics")
        return jsonError(404, "not_found", `no route ${req.method} ${url.pathname}`);
      if (!authorized(req))
        return jsonError(401, "unauthorized", "invalid token", {
          "www-authenticate": 'Bearer realm="hwm"',
        });
      if (req.method === "GET" && url.pathname === "/api/v1/info") {
        count();
        return Response.json(host.info);
      }
      if (req.method === "GET" && url.pathname === "/api/v1/snapshot") {
        const sections = parseSections(url.searchParams.get("sections"));
        if (!sections.ok) return jsonError(400, "bad_request", `sections: ${sections.error}`);
        count();
        return Response.json(host.snapshot(sections.value));
      }
      if (url.pathname === "/api/v1/ws") {
        const headers: Record<string, string> = {};
        if (offeredProtocols(req).includes(WS_PROTOCOL))
          headers["sec-websocket-protocol"] = WS_PROTOCOL;
        if (server.upgrade(req, { data: { host }, headers })) return undefined;
        return jsonError(426, "upgrade_required", "this route speaks WebSocket only");
      }
      return jsonError(404, "not_found", `no route ${req.method} ${url.pathname}`);
    },
    websocket: {
      message(ws, message) {
        let json: unknown;
        try {
          json = JSON.parse(String(message));
        } catch {
          ws.send(wsErrorText("bad_json", "the message is not valid JSON", null));
          return;
        }
        const request = decode(WsRequestSchema, json);
        if (!request.ok) {
          ws.send(wsErrorText("bad_message", request.error, idOf(json)));
          return;
        }
        const req = request.value;
        count();
        const response: WsResponse =
          req.type === "info"
            ? { id: req.id, type: "info", data: ws.data.host.info }
            : {
                id: req.id,
                type: "snapshot",
                data: ws.data.host.snapshot(
                  req.sections && req.sections.length > 0 ? req.sections : SECTIONS,
                ),
              };
        ws.send(JSON.stringify(response));
      },
    },
  });
}

/** A port that completes the TCP handshake and then never says a word. */
function startBlackHole(): TCPSocketListener<undefined> {
  return Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data() {
        // swallow the request: a hung machine reads nothing back
      },
    },
  });
}

const hostName = (n: number) => `vm-${String(n).padStart(3, "0")}`;

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const senderCount = Math.max(0, Math.floor(opts.senders));
  const blackholedCount = Math.max(0, Math.floor(opts.blackholed ?? 0));
  const seed = opts.seed ?? 42;
  const servers: Server<WsData>[] = [];
  const holes: TCPSocketListener<undefined>[] = [];
  const served = new Map<string, number>();
  const senders: FleetSender[] = [];
  let total = 0;
  const serve = (name: string, host: FakeHost, token: string | undefined) => {
    served.set(name, 0);
    const server = startFakeSender(host, token, () => {
      total++;
      served.set(name, (served.get(name) ?? 0) + 1);
    });
    servers.push(server);
    senders.push({ name, url: `http://127.0.0.1:${server.port}`, blackholed: false });
  };
  const blackHole = (name: string) => {
    const hole = startBlackHole();
    holes.push(hole);
    senders.push({ name, url: `http://127.0.0.1:${hole.port}`, blackholed: true });
  };
  try {
    for (const [i, { name, character = "quiet" }] of (opts.hosts ?? []).entries()) {
      if (character === "offline") blackHole(name);
      else if (character === "unauthorized") {
        // Wants a token nobody was given, as a sender set up with another fleet's token.
        serve(name, new FakeHost(name, seed * 100_003 + 50_000 + i), crypto.randomUUID());
      } else serve(name, new FakeHost(name, seed * 100_003 + 50_000 + i, character), opts.token);
    }
    for (let i = 1; i <= senderCount; i++) {
      serve(hostName(i), new FakeHost(hostName(i), seed * 100_003 + i), opts.token);
    }
    for (let i = 1; i <= blackholedCount; i++) blackHole(hostName(senderCount + i));
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop(true)));
    for (const h of holes) h.stop(true);
    throw err;
  }
  return {
    senders,
    requests: () => total,
    requestsBySender: () => new Map(served),
    async stop() {
      for (const h of holes) h.stop(true);
      await Promise.all(servers.map((s) => s.stop(true)));
    },
  };
}

/** A receiver config that lists every sender of the fleet. */
export function fleetConfigToml(
  senders: readonly FleetSender[],
  opts: {
    token?: string;
    /** Given to each sender entry instead: the receiver itself then needs no login on loopback. */
    senderToken?: string;
    listen: string;
    intervalMs: number;
  },
): string {
  const lines = [
    "# Written by the fleet simulator (src/demo/fleet.ts): a receiver polling a fake fleet.",
    'role = "receiver"',
    `listen = ${JSON.stringify(opts.listen)}`,
  ];
  if (opts.token !== undefined) lines.push(`token = ${JSON.stringify(opts.token)}`);
  lines.push(`interval_ms = ${opts.intervalMs}`);
  for (const s of senders) {
    lines.push(
      "",
      "[[senders]]",
      `name = ${JSON.stringify(s.name)}`,
      `url = ${JSON.stringify(s.url)}`,
    );
    if (opts.senderToken !== undefined) lines.push(`token = ${JSON.stringify(opts.senderToken)}`);
  }
  return `${lines.join("\n")}\n`;
}
