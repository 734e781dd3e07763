// Containers from the hand-made Docker/Podman/Kubernetes host and the cgroup v1 host: layouts,
// names from state files or from a real Docker API on a unix socket (and one that hangs).
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync } from "node:fs";
import { findCgroupTree } from "../../../src/collect/linux/cgroup.ts";
import { findContainers } from "../../../src/collect/linux/containers.ts";
import { type Container, decode, SnapshotSchema } from "../../../src/protocol/index.ts";
import { FakeClock } from "./fake-clock.ts";
import {
  collectorFor,
  copyTree,
  cpuStat,
  HYPERVISOR,
  netDev,
  pidStat,
  put,
  v2Cgroup,
} from "./hypervisor.ts";

const WEB = "4f6a9c0d2b8e1f3a5c7d9e0b1a2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e";
const HOSTNET = "8e2b1c3d4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e";
const REDIS = "c0ffee1234567890abcdef1234567890abcdef1234567890abcdef1234567890";
const K8S = "d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2";
const MiB = 1024 ** 2;

const byId = (list: readonly Container[] | null | undefined, id: string) =>
  list?.find((c) => c.id === id);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe("container layouts", () => {
  test("Docker (systemd driver), Podman, Kubernetes with containerd; services and conmon left out", () => {
    const tree = findCgroupTree(`${HYPERVISOR}/containers/sys`);
    expect(tree?.version).toBe(2);
    const found = tree ? findContainers(tree) : [];
    expect(found.map((c) => [c.runtime, c.id]).sort()).toEqual(
      [
        ["containerd", K8S],
        ["docker", HOSTNET],
        ["docker", WEB],
        ["podman", REDIS],
      ].sort(),
    );
  });

  test("cgroup v1 with Docker's cgroupfs driver", () => {
    const tree = findCgroupTree(`${HYPERVISOR}/cgroup-v1/sys`);
    expect(tree?.version).toBe(1);
    expect(tree ? findContainers(tree).map((c) => c.rel) : []).toEqual([
      `docker/${WEB}`,
      `docker/${REDIS}`,
    ]);
  });
});

describe("the containers section", () => {
  test("names from the state files, traffic from each container's own view, rates from two readings", async () => {
    const root = copyTree("containers");
    const clock = new FakeClock();
    clock.onSleep = () => {
      put(root, `sys/fs/cgroup/system.slice/docker-${WEB}.scope/cpu.stat`, cpuStat(2_000_050_000));
      put(
        root,
        "proc/4001/net/dev",
        netDev([
          ["lo", 100, 100],
          ["eth0", 2_400_000, 1_000_000],
        ]),
      );
    };
    const snapshot = await collectorFor(root, clock).snapshot(["containers"]);
    expect(snapshot.errors).toBeUndefined();
    expect(decode(SnapshotSchema, snapshot).ok).toBe(true);
    expect(byId(snapshot.containers, WEB)).toEqual({
      id: WEB,
      runtime: "docker",
      name: "web",
      image: "nginx:1.27",
      status: "running",
      cpu_pct: 25,
      cores: 1.5,
      mem_used_bytes: 140_000_000,
      mem_limit_bytes: 512 * MiB,
      disk_read_bps: 0,
      disk_write_bps: 0,
      net_rx_bps: 2_000_000,
      net_tx_bps: 0,
      uptime_s: 10_000,
    });
    // On the host's network: the host's traffic is not the container's.
    expect(byId(snapshot.containers, HOSTNET)).toMatchObject({
      name: "node-exporter",
      net_rx_bps: null,
      net_tx_bps: null,
    });
    // Podman 4+ keeps the processes in a child cgroup; the name and image from containers.json.
    expect(byId(snapshot.containers, REDIS)).toMatchObject({
      runtime: "podman",
      name: "cache",
      image: "docker.io/library/redis:7",
      net_rx_bps: 0,
      uptime_s: 1_000,
    });
    expect(byId(snapshot.containers, K8S)).toMatchObject({
      runtime: "containerd",
      name: null,
      cores: 0.5,
    });
  });

  test("cgroup v1: usage in ns, limits, blkio bytes; a broken state file leaves the name null", async () => {
    const snapshot = await collectorFor(copyTree("cgroup-v1"), new FakeClock()).snapshot([
      "containers",
    ]);
    expect(byId(snapshot.containers, WEB)).toMatchObject({
      name: "legacy-web",
      image: "httpd:2.4",
      mem_used_bytes: 250_000_000,
      mem_limit_bytes: null,
      cores: null,
      uptime_s: 20_000,
    });
    expect(byId(snapshot.containers, REDIS)).toMatchObject({
      name: null,
      cores: 0.5,
      mem_limit_bytes: 512 * MiB,
    });
  });
});

describe("containers coming and going", () => {
  const NEW = "feed00000000000000000000000000000000000000000000000000000000beef";
  const MORE = "abc0000000000000000000000000000000000000000000000000000000000abc";

  test("one stops and another starts in its place, one restarts, one more starts", async () => {
    const root = copyTree("containers");
    const clock = new FakeClock();
    const collector = collectorFor(root, clock);
    const first = await collector.snapshot(["containers"]);
    expect(byId(first.containers, HOSTNET)?.name).toBe("node-exporter");
    expect(byId(first.containers, WEB)?.cpu_pct).toBe(0);

    clock.advance(3_000);
    // node-exporter stops and a new container starts in system.slice, which keeps its number of
    // cgroups; web restarts (a new cgroup under the same name: its counter starts again). The
    // collector keeps cgroup files open: on cgroupfs those of a removed cgroup fail to read; a
    // regular file stays readable once removed, so it is emptied first.
    const gone = `sys/fs/cgroup/system.slice/docker-${HOSTNET}.scope`;
    put(root, `${gone}/cpu.stat`, "");
    rmSync(`${root}/${gone}`, { recursive: true });
    v2Cgroup(root, `system.slice/docker-${NEW}.scope`, {
      usageUsec: 500,
      memBytes: 64 * MiB,
      procs: "4100\n",
    });
    put(
      root,
      `var/lib/docker/containers/${NEW}/config.v2.json`,
      JSON.stringify({ Name: "/worker", Config: { Image: "python:3.12" } }),
    );
    put(root, "proc/4100/stat", pidStat(4100, "worker", 1_999_000));
    put(root, `sys/fs/cgroup/system.slice/docker-${WEB}.scope/cpu.stat`, cpuStat(1_000));
    const second = await collector.snapshot(["containers"]);
    expect(byId(second.containers, HOSTNET)).toBeUndefined();
    expect(byId(second.containers, NEW)).toMatchObject({
      name: "worker",
      image: "python:3.12",
      status: "running",
      // No earlier reading of this cgroup: no rate yet.
      cpu_pct: null,
      mem_used_bytes: 64 * MiB,
      // Up 20003 s; started at 19990 s.
      uptime_s: 13,
    });
    expect(byId(second.containers, WEB)).toMatchObject({ name: "web", cpu_pct: null });

    // One more starts, nothing stops: the slice's count of cgroups moves.
    clock.advance(3_000);
    v2Cgroup(root, `system.slice/docker-${MORE}.scope`, { usageUsec: 1, memBytes: MiB });
    put(root, `sys/fs/cgroup/system.slice/docker-${NEW}.scope/cpu.stat`, cpuStat(1_500_500));
    const third = await collector.snapshot(["containers"]);
    expect(byId(third.containers, MORE)).toMatchObject({ status: "running", cpu_pct: null });
    // 1.5 s of CPU in 3 s.
    expect(byId(third.containers, NEW)?.cpu_pct).toBe(50);
    expect(third.containers?.map((c) => c.name ?? c.id.slice(0, 12))).toEqual([
      "abc000000000",
      "cache",
      K8S.slice(0, 12),
      "web",
      "worker",
    ]);
  });
});

describe("containers coming and going, the slow case", () => {
  test("a service stops as a container starts in the same slice: listed again within 10 s", async () => {
    const NEW = "5a5a000000000000000000000000000000000000000000000000000000005a5a";
    const root = copyTree("containers");
    const clock = new FakeClock();
    const collector = collectorFor(root, clock);
    await collector.snapshot(["containers"]);
    clock.advance(3_000);
    // ssh.service is not read, so its going is not seen; the slice's count of cgroups stays.
    rmSync(`${root}/sys/fs/cgroup/system.slice/ssh.service`, { recursive: true });
    v2Cgroup(root, `system.slice/docker-${NEW}.scope`, { usageUsec: 1, memBytes: MiB });
    expect(byId((await collector.snapshot(["containers"])).containers, NEW)).toBeUndefined();
    clock.advance(7_000);
    expect(byId((await collector.snapshot(["containers"])).containers, NEW)).toMatchObject({
      status: "running",
    });
  });
});

/** A unix socket at <root>/run/docker.sock answering like dockerd, recording what it was asked. */
function fakeDocker(root: string, answer: () => Response): string[] {
  mkdirSync(`${root}/run`, { recursive: true });
  const asked: string[] = [];
  const server = Bun.serve({
    unix: `${root}/run/docker.sock`,
    fetch(request) {
      asked.push(`${request.method} ${new URL(request.url).pathname}`);
      return answer();
    },
  });
  cleanups.push(() => server.stop(true));
  return asked;
}

describe("names from the Docker API", () => {
  test("GET /containers/json and nothing else; its names, images and paused state win", async () => {
    const root = copyTree("containers");
    const asked = fakeDocker(root, () =>
      Response.json([
        { Id: WEB, Names: ["/frontend"], Image: "nginx:1.28", State: "paused" },
        { Id: HOSTNET, Names: ["/node-exporter"], Image: "prom/node-exporter", State: "running" },
      ]),
    );
    const clock = new FakeClock();
    const collector = collectorFor(root, clock);
    const snapshot = await collector.snapshot(["containers"]);
    expect(snapshot.errors).toBeUndefined();
    expect(byId(snapshot.containers, WEB)).toMatchObject({
      name: "frontend",
      image: "nginx:1.28",
      status: "paused",
    });
    // Podman's container is not Docker's: its name still comes from its state file.
    expect(byId(snapshot.containers, REDIS)?.name).toBe("cache");
    clock.advance(3_000);
    await collector.snapshot(["containers"]);
    // The answer is kept: one request for two fresh readings, and only that one.
    expect(asked).toEqual(["GET /containers/json"]);
  });

  test("a socket that hangs: the section fails with why, the rest is intact, and it is not asked again at once", async () => {
    const root = copyTree("containers");
    mkdirSync(`${root}/run`, { recursive: true });
    let connections = 0;
    const listener = Bun.listen({
      unix: `${root}/run/docker.sock`,
      socket: {
        open() {
          connections += 1;
        },
        data() {},
      },
    });
    cleanups.push(() => listener.stop(true));
    const clock = new FakeClock();
    const collector = collectorFor(root, clock);
    const t0 = performance.now();
    const snapshot = await collector.snapshot(["guests", "containers"]);
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(snapshot.containers).toBeNull();
    expect(snapshot.errors?.containers).toBe(
      `container API at ${root}/run/docker.sock: no answer within 500 ms; asked again in 30 s`,
    );
    expect(snapshot.guests).toEqual([]);
    expect(connections).toBe(1);

    clock.advance(3_000);
    const t1 = performance.now();
    const again = await collector.snapshot(["containers"]);
    expect(performance.now() - t1).toBeLessThan(100);
    expect(again.errors?.containers).toContain("no answer within 500 ms");
    expect(connections).toBe(1);
  });

  test("nonsense from the socket: a clear error; a socket nobody listens on: the state files", async () => {
    const root = copyTree("containers");
    fakeDocker(root, () => Response.json({ message: "page not found" }));
    const snapshot = await collectorFor(root, new FakeClock()).snapshot(["containers"]);
    expect(snapshot.errors?.containers).toStartWith(
      `container API at ${root}/run/docker.sock: unexpected answer:`,
    );

    const stale = copyTree("containers");
    put(stale, "run/docker.sock", "");
    const fallback = await collectorFor(stale, new FakeClock()).snapshot(["containers"]);
    expect(fallback.errors).toBeUndefined();
    expect(byId(fallback.containers, WEB)?.name).toBe("web");
  });
});
