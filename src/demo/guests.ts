// The simulated hypervisor's guests and containers: a Proxmox host's VMs and CTs (one stopped,
// one busy) and a few Docker containers, with CPU, memory, disk and network drifting like the
// cgroup readings of a real host (docs/GUESTS.md has what each field means).
import type { Container, Guest } from "../protocol/index.ts";
import { GiB, intBetween, MiB, type Rng, round2, walk } from "./random.ts";

interface Plan {
  name: string;
  /** Configured cores; containers: their CPU quota, null without one. */
  cores: number | null;
  memLimitBytes: number | null;
  /** Where the CPU walk is pulled, in percent of one core (as top shows it). */
  meanCpuPct: number;
  /** Share of the memory limit (or of 1 GiB without one) in use on average. */
  memShare: number;
}
interface GuestPlan extends Plan {
  id: number;
  kind: Guest["kind"];
  stopped?: boolean;
}
interface ContainerPlan extends Plan {
  image: string;
}

/**
 * Named after hosts of the demo fleet where they run a sender of their own (db, git, dns,
 * monitoring), so that the dashboard links the guest to its card; a CI runner kept busy, a
 * Windows VM that is shut down.
 */
const GUESTS: readonly GuestPlan[] = [
  {
    id: 100,
    kind: "vm",
    name: "db",
    cores: 4,
    memLimitBytes: 8 * GiB,
    meanCpuPct: 40,
    memShare: 0.7,
  },
  {
    id: 101,
    kind: "vm",
    name: "git",
    cores: 2,
    memLimitBytes: 4 * GiB,
    meanCpuPct: 8,
    memShare: 0.45,
  },
  {
    id: 102,
    kind: "ct",
    name: "dns",
    cores: 1,
    memLimitBytes: 512 * MiB,
    meanCpuPct: 2,
    memShare: 0.3,
  },
  {
    id: 103,
    kind: "ct",
    name: "monitoring",
    cores: 2,
    memLimitBytes: 2 * GiB,
    meanCpuPct: 15,
    memShare: 0.6,
  },
  {
    id: 104,
    kind: "vm",
    name: "ci-runner",
    cores: 1,
    memLimitBytes: 4 * GiB,
    meanCpuPct: 95,
    memShare: 0.8,
  },
  {
    id: 105,
    kind: "vm",
    name: "win11",
    cores: 4,
    memLimitBytes: 8 * GiB,
    meanCpuPct: 0,
    memShare: 0,
    stopped: true,
  },
];

const CONTAINERS: readonly ContainerPlan[] = [
  {
    name: "homeassistant",
    image: "ghcr.io/home-assistant/home-assistant:2024.11",
    cores: 2,
    memLimitBytes: null,
    meanCpuPct: 6,
    memShare: 0.4,
  },
  {
    name: "portainer",
    image: "portainer/portainer-ce:2.21.4",
    cores: null,
    memLimitBytes: null,
    meanCpuPct: 0.5,
    memShare: 0.06,
  },
  {
    name: "uptime-kuma",
    image: "louislam/uptime-kuma:1",
    cores: 0.5,
    memLimitBytes: 512 * MiB,
    meanCpuPct: 2,
    memShare: 0.25,
  },
  {
    name: "watchtower",
    image: "containrrr/watchtower:latest",
    cores: null,
    memLimitBytes: 128 * MiB,
    meanCpuPct: 0.1,
    memShare: 0.1,
  },
];

/** What changes from one reading to the next. */
interface Live {
  cpuPct: number;
  memUsedBytes: number;
  readBps: number;
  writeBps: number;
  rxBps: number;
  txBps: number;
  startedMs: number;
}

const hex = (rng: Rng, digits: number) =>
  Array.from({ length: digits }, () => Math.floor(rng() * 16).toString(16)).join("");

export class SimulatedGuests {
  private readonly rng: Rng;
  private readonly guestLive: (Live | null)[];
  private readonly containerLive: Live[];
  private readonly containerIds: string[];
  /** Rates need two readings: the first of each section has none, as on a real sender. */
  private guestsRead = false;
  private containersRead = false;

  constructor(rng: Rng, nowMs: number) {
    this.rng = rng;
    this.guestLive = GUESTS.map((g) => (g.stopped ? null : this.start(g, nowMs)));
    this.containerLive = CONTAINERS.map((c) => this.start(c, nowMs));
    this.containerIds = CONTAINERS.map(() => hex(rng, 64));
  }

  private start(plan: Plan, nowMs: number): Live {
    const rng = this.rng;
    return {
      cpuPct: plan.meanCpuPct,
      memUsedBytes: Math.round((plan.memLimitBytes ?? GiB) * plan.memShare),
      readBps: rng() * 500_000,
      writeBps: rng() * 1_000_000,
      rxBps: rng() * 200_000,
      txBps: rng() * 100_000,
      startedMs: nowMs - intBetween(this.rng, 3600, 40 * 86400) * 1000,
    };
  }

  /** One step of every running guest's and container's walks. */
  advance(): void {
    const rng = this.rng;
    const step = (plan: Plan, live: Live) => {
      const maxPct = 100 * (plan.cores ?? 4);
      live.cpuPct = walk(
        rng,
        live.cpuPct,
        Math.max(0.2, plan.meanCpuPct * 0.03),
        plan.meanCpuPct,
        0,
        maxPct,
      );
      const limit = plan.memLimitBytes ?? GiB;
      live.memUsedBytes = Math.round(
        walk(rng, live.memUsedBytes, limit * 0.01, limit * plan.memShare, 0, limit),
      );
      live.readBps = walk(rng, live.readBps, 80_000, 300_000, 0, 200_000_000);
      live.writeBps = walk(rng, live.writeBps, 150_000, 600_000, 0, 200_000_000);
      live.rxBps = walk(rng, live.rxBps, 40_000, 150_000, 0, 125_000_000);
      live.txBps = walk(rng, live.txBps, 20_000, 60_000, 0, 125_000_000);
    };
    GUESTS.forEach((plan, i) => {
      const live = this.guestLive[i];
      if (live) step(plan, live);
    });
    CONTAINERS.forEach((plan, i) => {
      const live = this.containerLive[i];
      if (live) step(plan, live);
    });
  }

  guests(nowMs: number): Guest[] {
    const first = !this.guestsRead;
    this.guestsRead = true;
    return GUESTS.map((plan, i) => ({
      id: plan.id,
      kind: plan.kind,
      name: plan.name,
      ...usage(plan, this.guestLive[i] ?? null, nowMs, first),
    }));
  }

  containers(nowMs: number): Container[] {
    const first = !this.containersRead;
    this.containersRead = true;
    return CONTAINERS.map((plan, i) => ({
      id: this.containerIds[i] ?? "",
      runtime: "docker",
      name: plan.name,
      image: plan.image,
      ...usage(plan, this.containerLive[i] ?? null, nowMs, first),
    }));
  }
}

/** The fields a guest and a container share; a stopped one has its configured size only. */
function usage(plan: Plan, live: Live | null, nowMs: number, first: boolean) {
  const rate = (bps: number) => (first ? null : Math.round(bps));
  const status: Guest["status"] = live ? "running" : "stopped";
  return {
    status,
    cpu_pct: live && !first ? round2(live.cpuPct) : null,
    cores: plan.cores,
    mem_used_bytes: live ? live.memUsedBytes : null,
    mem_limit_bytes: plan.memLimitBytes,
    disk_read_bps: live ? rate(live.readBps) : null,
    disk_write_bps: live ? rate(live.writeBps) : null,
    net_rx_bps: live ? rate(live.rxBps) : null,
    net_tx_bps: live ? rate(live.txBps) : null,
    uptime_s: live ? Math.max(0, Math.floor((nowMs - live.startedMs) / 1000)) : null,
  };
}
