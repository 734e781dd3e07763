// Proxmox VE guests from the host: running VMs (qemu.slice/<vmid>.scope) and containers
// (lxc/<ctid>) from their cgroups, their traffic from tap<vmid>i<n> / veth<ctid>i<n>, names and
// sizes from /etc/pve; stopped guests from their configs alone.
import type { Guest } from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";
import { GUEST_CONFIG_RETRY_MS, GUEST_CONFIG_TTL_MS } from "../constants.ts";
import {
  type CgroupCounters,
  CgroupReader,
  type CgroupTree,
  cgroupEntries,
  cgroupFirstPid,
  findCgroupTree,
  type ParentLinks,
  processStartS,
} from "./cgroup.ts";
import { CgroupList } from "./cgroup-list.ts";
import { forEachIface } from "./cgroup-parse.ts";
import { restartedKeys, SlowFactsCache, StartTimes, withUsage } from "./cgroup-usage.ts";
import { type GuestConfig, GuestConfigFiles, type GuestKind, guestKey } from "./pve-config.ts";

export interface RunningGuest {
  id: number;
  kind: GuestKind;
  /** The cgroup, relative to the hierarchy's root. */
  rel: string;
  counters: CgroupCounters;
}

/** One reading: the running guests' counters and their interfaces' byte counts, by guest key. */
export interface GuestReading {
  running: Map<string, RunningGuest>;
  /** As the guest sees it: the host's tap/veth received what the guest sent. */
  net: Map<string, { rxBytes: number; txBytes: number }>;
}

const VM_SCOPE = /^([1-9]\d{2,8})\.scope$/;
/** A VMID: 100 to 999999999; a CT's cgroup is named by it. */
const VMID = /^[1-9]\d{2,8}$/;

interface GuestCgroup {
  kind: GuestKind;
  id: number;
  rel: string;
}

/** Running VMs (qemu.slice/<vmid>.scope) and CTs (lxc/<ctid>) by their cgroups. */
export function findGuests(tree: CgroupTree, links?: ParentLinks): GuestCgroup[] {
  const found: GuestCgroup[] = [];
  for (const child of cgroupEntries(tree, "qemu.slice", links)) {
    const id = VM_SCOPE.exec(child)?.[1];
    if (id !== undefined) found.push({ kind: "vm", id: Number(id), rel: `qemu.slice/${child}` });
  }
  for (const child of cgroupEntries(tree, "lxc", links)) {
    if (VMID.test(child)) found.push({ kind: "ct", id: Number(child), rel: `lxc/${child}` });
  }
  return found;
}

export interface GuestRoots {
  procfs: string;
  sysfs: string;
  pveDir: string;
}

export class GuestReader {
  readonly #roots: GuestRoots;
  readonly #clock: Clock;
  readonly #cgroups = new CgroupReader();
  readonly #starts = new StartTimes();
  readonly #slow: SlowFactsCache;
  #tree: CgroupTree | null = null;
  readonly #list: CgroupList<GuestCgroup>;
  readonly #configFiles: GuestConfigFiles;
  #configs: { byKey: Map<string, GuestConfig>; atMs: number } | undefined;

  constructor(roots: GuestRoots, clock: Clock) {
    this.#roots = roots;
    this.#clock = clock;
    this.#slow = new SlowFactsCache(clock);
    this.#list = new CgroupList(clock, findGuests);
    this.#configFiles = new GuestConfigFiles(roots.pveDir);
  }

  /** The counters of every running guest. A guest that stops mid-read is simply not in it. */
  read = (): GuestReading => {
    this.#tree ??= findCgroupTree(this.#roots.sysfs);
    const running = new Map<string, RunningGuest>();
    const tree = this.#tree;
    if (tree !== null) {
      this.#list.each(tree, ({ kind, id, rel }) => {
        const key = guestKey(kind, id);
        if (running.has(key)) return true;
        const counters = this.#cgroups.counters(tree, rel);
        if (counters) running.set(key, { id, kind, rel, counters });
        return counters !== null;
      });
      this.#cgroups.endRound();
    }
    return { running, net: running.size > 0 ? this.#readNet() : new Map() };
  };

  /** Guests from two readings: running ones with rates, then stopped ones from their configs. */
  build(
    prev: GuestReading,
    cur: GuestReading,
    elapsedMs: number,
    hostUptimeS: number | null,
  ): Guest[] {
    const configs = this.#configsFor(cur.running);
    const restarted = restartedKeys(prev.running, cur.running);
    this.#starts.keep(cur.running, restarted);
    this.#slow.keep(cur.running);
    const guests: Guest[] = [];
    for (const [key, guest] of cur.running) {
      const config = configs.get(key);
      const slow = this.#slow.get(key, () => this.#readSlow(guest.rel));
      const before = restarted.has(key) ? undefined : prev.running.get(key);
      const head = {
        id: guest.id,
        kind: guest.kind,
        name: config?.name ?? null,
        status: "running" as const,
      };
      const facts = {
        cores: config?.cores ?? slow.cores,
        memLimitBytes: slow.memLimitBytes ?? config?.memBytes ?? null,
        inactiveFileBytes: slow.inactiveFileBytes,
        net: cur.net.get(key),
        netBefore: before && prev.net.get(key),
        uptimeS: this.#starts.uptimeS(key, hostUptimeS, () =>
          this.#tree
            ? processStartS(this.#roots.procfs, cgroupFirstPid(this.#tree, guest.rel))
            : null,
        ),
      };
      guests.push(withUsage(head, before?.counters, guest.counters, elapsedMs, facts));
    }
    for (const [key, config] of configs) {
      if (!cur.running.has(key)) guests.push(stoppedGuest(config));
    }
    // VMIDs are unique across VMs and CTs.
    return guests.sort((a, b) => a.id - b.id);
  }

  #readNet(): GuestReading["net"] {
    const net = new Map<string, { rxBytes: number; txBytes: number }>();
    const bytes = this.#cgroups.bytes(`${this.#roots.procfs}/net`, "dev");
    if (bytes === null) return net;
    forEachIface(bytes, (start, end, rxBytes, txBytes) => {
      const key = guestOfIface(bytes, start, end);
      if (key === null) return;
      const sum = net.get(key) ?? { rxBytes: 0, txBytes: 0 };
      // The host's end of the guest's NIC: what it received, the guest sent.
      sum.rxBytes += txBytes;
      sum.txBytes += rxBytes;
      net.set(key, sum);
    });
    return net;
  }

  /**
   * The configs, re-read every GUEST_CONFIG_TTL_MS, and sooner when a guest runs that they do
   * not know (just created), but not more often than GUEST_CONFIG_RETRY_MS.
   */
  #configsFor(running: ReadonlyMap<string, RunningGuest>): Map<string, GuestConfig> {
    const now = this.#clock.nowMs();
    const known = this.#configs;
    const age = known === undefined ? Number.POSITIVE_INFINITY : now - known.atMs;
    const unknown = known !== undefined && [...running.keys()].some((k) => !known.byKey.has(k));
    if (age >= GUEST_CONFIG_TTL_MS || (unknown && age >= GUEST_CONFIG_RETRY_MS)) {
      this.#configs = { byKey: this.#configFiles.read(), atMs: now };
    }
    return this.#configs?.byKey ?? new Map();
  }

  #readSlow(rel: string) {
    return this.#tree
      ? this.#cgroups.slowFacts(this.#tree, rel)
      : { memLimitBytes: null, cores: null, inactiveFileBytes: 0 };
  }
}

function stoppedGuest(config: GuestConfig): Guest {
  return {
    id: config.id,
    kind: config.kind,
    name: config.name,
    status: "stopped",
    cpu_pct: null,
    cores: config.cores,
    mem_used_bytes: null,
    mem_limit_bytes: config.memBytes,
    disk_read_bps: null,
    disk_write_bps: null,
    net_rx_bps: null,
    net_tx_bps: null,
    uptime_s: null,
  };
}

const T = 116; // t
const V = 118; // v
const I = 105; // i

/**
 * The guest key of a host interface named tap<vmid>i<n> (a VM's NIC n) or veth<ctid>i<n> (a CT's),
 * read from the bytes of /proc/net/dev; null for any other interface (fwpr/fwln are the
 * firewall's side of the same traffic).
 */
function guestOfIface(bytes: Buffer, start: number, end: number): string | null {
  let at: number;
  let kind: "vm" | "ct";
  if (bytes[start] === T && bytes.toString("latin1", start, start + 3) === "tap") {
    at = start + 3;
    kind = "vm";
  } else if (bytes[start] === V && bytes.toString("latin1", start, start + 4) === "veth") {
    at = start + 4;
    kind = "ct";
  } else return null;
  const digits = at;
  while (at < end && (bytes[at] ?? 0) >= 48 && (bytes[at] ?? 0) <= 57) at++;
  const id = bytes.toString("latin1", digits, at);
  if (!VMID.test(id) || bytes[at] !== I || at + 1 >= end) return null;
  for (let n = at + 1; n < end; n++) if ((bytes[n] ?? 0) < 48 || (bytes[n] ?? 0) > 57) return null;
  return guestKey(kind, Number(id));
}
