// Docker, Podman, containerd and CRI-O containers from their cgroups: system.slice/docker-<id>.scope,
// docker/<id> (cgroupfs driver), machine.slice/libpod-<id>.scope, libpod_parent/libpod-<id>,
// kubepods.slice/.../cri-containerd-<id>.scope and crio-<id>.scope; traffic from the container's
// own /proc/<pid>/net/dev; names and images from container-names.ts.
import type { Container } from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";
import { andThen, type MaybePromise } from "../maybe.ts";
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
import { ContainerNames } from "./container-names.ts";
import { parseNetDev } from "./network.ts";
import { type Roots, readOptional } from "./roots.ts";

type Runtime = Container["runtime"];

export interface RunningContainer {
  id: string;
  runtime: Runtime;
  rel: string;
  counters: CgroupCounters;
  /** Bytes through the container's own interfaces; null with the host's network (or unknown). */
  net: { rxBytes: number; txBytes: number } | null;
}

export type ContainerReading = Map<string, RunningContainer>;

const SCOPE = /^(docker|libpod|cri-containerd|crio|nerdctl)-([0-9a-f]{64})\.scope$/;
const SCOPE_RUNTIME: Readonly<Record<string, Runtime>> = {
  docker: "docker",
  libpod: "podman",
  "cri-containerd": "containerd",
  crio: "cri-o",
  nerdctl: "containerd",
};
const BARE_ID = /^[0-9a-f]{64}$/;
const LIBPOD_ID = /^libpod-([0-9a-f]{64})$/;
/** kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/<scope> */
const KUBE_SLICE = /^kubepods-.*\.slice$/;

/** Where each layout puts its containers: the parent cgroup, and how a child names one. */
interface ContainerCgroup {
  id: string;
  runtime: Runtime;
  rel: string;
}

export function findContainers(tree: CgroupTree, links?: ParentLinks): ContainerCgroup[] {
  const found: ContainerCgroup[] = [];
  const scopes = (parent: string, children: readonly string[]) => {
    for (const child of children) {
      // Most of system.slice is services: a cheap look at the end before the pattern.
      if (!child.endsWith(".scope")) continue;
      const match = SCOPE.exec(child);
      const runtime = match?.[1] === undefined ? undefined : SCOPE_RUNTIME[match[1]];
      if (match?.[2] !== undefined && runtime) {
        found.push({ id: match[2], runtime, rel: `${parent}/${child}` });
      }
    }
  };
  for (const parent of ["system.slice", "machine.slice"]) {
    scopes(parent, cgroupEntries(tree, parent, links));
  }
  for (const child of cgroupEntries(tree, "docker", links)) {
    if (BARE_ID.test(child)) found.push({ id: child, runtime: "docker", rel: `docker/${child}` });
  }
  for (const child of cgroupEntries(tree, "libpod_parent", links)) {
    const id = LIBPOD_ID.exec(child)?.[1];
    if (id !== undefined) found.push({ id, runtime: "podman", rel: `libpod_parent/${child}` });
  }
  // Kubernetes with the systemd driver: QoS slices, then pod slices, then container scopes.
  const kube = (parent: string, depth: number) => {
    const children = cgroupEntries(tree, parent, links);
    scopes(parent, children);
    if (depth >= 2) return;
    for (const child of children) {
      if (KUBE_SLICE.test(child)) kube(`${parent}/${child}`, depth + 1);
    }
  };
  kube("kubepods.slice", 0);
  return found;
}

export class ContainerReader {
  readonly #roots: Roots;
  readonly #cgroups = new CgroupReader();
  readonly #names: ContainerNames;
  readonly #starts = new StartTimes();
  readonly #pids = new Map<string, number | null>();
  /** Per container: false when it shares the host's network namespace (its traffic is not its own). */
  readonly #ownNetwork = new Map<string, boolean>();
  readonly #slow: SlowFactsCache;
  readonly #list: CgroupList<ContainerCgroup>;
  #tree: CgroupTree | null = null;

  constructor(roots: Roots, clock: Clock) {
    this.#roots = roots;
    this.#names = new ContainerNames(roots, clock);
    this.#slow = new SlowFactsCache(clock);
    this.#list = new CgroupList(clock, findContainers);
  }

  read = (): ContainerReading => {
    this.#tree ??= findCgroupTree(this.#roots.sysfs);
    const running: ContainerReading = new Map();
    const tree = this.#tree;
    if (tree === null) return running;
    this.#list.each(tree, ({ id, runtime, rel }) => {
      if (running.has(id)) return true;
      const counters = this.#cgroups.counters(tree, rel);
      if (counters) running.set(id, { id, runtime, rel, counters, net: this.#net(tree, id, rel) });
      return counters !== null;
    });
    this.#cgroups.endRound();
    for (const id of this.#pids.keys()) {
      if (running.has(id)) continue;
      this.#pids.delete(id);
      this.#ownNetwork.delete(id);
    }
    return running;
  };

  /** Containers from two readings, with their names: a promise only while an API is asked. */
  build(
    prev: ContainerReading,
    cur: ContainerReading,
    elapsedMs: number,
    hostUptimeS: number | null,
  ): MaybePromise<Container[]> {
    const named = [...cur.values()].flatMap((c) =>
      c.runtime === "docker" || c.runtime === "podman" ? [{ id: c.id, runtime: c.runtime }] : [],
    );
    const restarted = restartedKeys(prev, cur);
    this.#starts.keep(cur, restarted);
    this.#slow.keep(cur);
    return andThen(this.#names.lookup(named), (names) => {
      const containers: Container[] = [];
      for (const [id, c] of cur) {
        const before = restarted.has(id) ? undefined : prev.get(id);
        const meta = names.get(id);
        const slow = this.#slow.get(id, () => this.#readSlow(c.rel));
        const head = {
          id,
          runtime: c.runtime,
          name: meta?.name ?? null,
          image: meta?.image ?? null,
          status: meta?.paused ? ("paused" as const) : ("running" as const),
        };
        const facts = {
          cores: slow.cores,
          memLimitBytes: slow.memLimitBytes,
          inactiveFileBytes: slow.inactiveFileBytes,
          net: c.net,
          netBefore: before?.net,
          uptimeS: this.#starts.uptimeS(id, hostUptimeS, () =>
            processStartS(this.#roots.procfs, this.#pidOf(id, c.rel)),
          ),
        };
        containers.push(withUsage(head, before?.counters, c.counters, elapsedMs, facts));
      }
      // By name (code points, not locale: ICU's collation costs ~1 µs a comparison), then id.
      const key = (c: Container) => c.name ?? c.id;
      return containers.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    });
  }

  /**
   * The container's own traffic, from its first process's view of the network. A container on
   * the host's network sees the host's interfaces: that is not its traffic, so null.
   */
  #net(tree: CgroupTree, id: string, rel: string): RunningContainer["net"] {
    const pid = this.#pidOf(id, rel, tree);
    if (pid === null || this.#ownNetwork.get(id) === false) return null;
    const dir = `${this.#roots.procfs}/${pid}/net`;
    // A process keeps its network namespace: told apart once per container run.
    if (!this.#ownNetwork.has(id)) {
      const text = this.#cgroups.read(dir, "dev");
      const own = text !== null && ifaceNames(parseNetDev(text)) !== this.#hostIfaceNames();
      if (text !== null) this.#ownNetwork.set(id, own);
      if (!own) return null;
    }
    const bytes = this.#cgroups.bytes(dir, "dev");
    if (bytes === null) {
      this.#pids.delete(id);
      this.#ownNetwork.delete(id);
      return null;
    }
    let rxBytes = 0;
    let txBytes = 0;
    forEachIface(bytes, (start, end, rx, tx) => {
      // Loopback is not the container's traffic.
      if (end - start === 2 && bytes[start] === 108 && bytes[start + 1] === 111) return;
      rxBytes += rx;
      txBytes += tx;
    });
    return { rxBytes, txBytes };
  }

  /** The interfaces the host's init sees: a container that sees the same is on the host's network. */
  #hostIfaceNames(): string | null {
    const text = readOptional(`${this.#roots.procfs}/1/net/dev`);
    return text === null ? null : ifaceNames(parseNetDev(text));
  }

  #pidOf(id: string, rel: string, tree = this.#tree): number | null {
    let pid = this.#pids.get(id);
    if (pid === undefined) {
      pid = tree ? cgroupFirstPid(tree, rel) : null;
      this.#pids.set(id, pid);
    }
    return pid;
  }

  #readSlow(rel: string) {
    return this.#tree
      ? this.#cgroups.slowFacts(this.#tree, rel)
      : { memLimitBytes: null, cores: null, inactiveFileBytes: 0 };
  }
}

function ifaceNames(ifaces: readonly { iface: string }[]): string {
  return ifaces.map((i) => i.iface).join(" ");
}
