// The lab host (docs/LAB.md): a Debian 12 VM with systemd 252, a QEMU VM started the way Proxmox
// starts one, an LXC container with Proxmox's cgroup keys, Docker 20.10 and Podman 4.3
// containers, captured by scripts/capture-hypervisor.sh. Real kernel files, real layouts.
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fetchApiContainers } from "../../../src/collect/linux/container-names.ts";
import { type Container, decode, SnapshotSchema } from "../../../src/protocol/index.ts";
import { FakeClock } from "./fake-clock.ts";
import { collectorFor, copyTree, HYPERVISOR, put } from "./hypervisor.ts";

const MiB = 1024 ** 2;
const DOCKER_WEB = "e55e8e3cda8b2a210c11b364a732cc192eb8dae7c1587ed9c0f4fd04701054f7";
const PODMAN_PROXY = "ca6b270b34b351a323617d0a48e65cfd22e9a978690d1e10f9f0890f5dbfc9c9";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const summary = (list: readonly Container[] | null | undefined) =>
  list?.map((c) => [c.runtime, c.name, c.image, c.status, c.cores, c.mem_limit_bytes]);

/** Add `seconds` of CPU to a cgroup's real cpu.stat, leaving its other lines as the kernel wrote them. */
function addCpu(root: string, cgroup: string, seconds: number): void {
  const path = `sys/fs/cgroup/${cgroup}/cpu.stat`;
  const text = readFileSync(join(root, path), "utf8");
  const usage = Number(/^usage_usec (\d+)$/m.exec(text)?.[1]);
  put(root, path, text.replace(/^usage_usec \d+$/m, `usage_usec ${usage + seconds * 1e6}`));
}

describe("guests on the lab host", () => {
  test("VM 100 in qemu.slice/100.scope and CT 200 in lxc/200/ns read as running; 101 and 201 stopped", async () => {
    const root = copyTree("lab");
    const clock = new FakeClock();
    const collector = collectorFor(root, clock);
    const first = await collector.snapshot(["guests"]);
    expect(first.errors).toBeUndefined();
    expect(first.guests?.map((g) => [g.id, g.kind, g.name, g.status, g.cores])).toEqual([
      [100, "vm", "web", "running", 1],
      [101, "vm", "backup-vm", "stopped", 2],
      [200, "ct", "dns", "running", 1],
      [201, "ct", "media", "stopped", 2],
    ]);
    const [vm, , ct] = first.guests ?? [];
    // The VM's limit is its configured memory; QEMU itself (here with TCG's code cache) uses more.
    expect(vm).toMatchObject({ mem_limit_bytes: 256 * MiB, mem_used_bytes: 381_014_016 });
    // The CT: lxc.cgroup2.memory.max on lxc/200, the 48 MiB its tmpfs holds in memory.current.
    expect(ct).toMatchObject({ mem_limit_bytes: 128 * MiB, mem_used_bytes: 51_142_656 });
    expect(ct?.uptime_s).toBe(391);

    addCpu(root, "qemu.slice/100.scope", 1.5);
    addCpu(root, "lxc/200", 3);
    clock.advance(3_000);
    const second = await collector.snapshot(["guests"]);
    expect(second.guests?.map((g) => g.cpu_pct)).toEqual([50, null, 100, null]);
    expect(decode(SnapshotSchema, second).ok).toBe(true);
  });
});

describe("containers on the lab host", () => {
  test("Docker (systemd driver) and Podman (machine.slice/libpod-<id>.scope), named from their state files", async () => {
    const root = copyTree("lab");
    const snapshot = await collectorFor(root, new FakeClock()).snapshot(["containers"]);
    expect(snapshot.errors).toBeUndefined();
    expect(summary(snapshot.containers)).toEqual([
      ["podman", "cache", "localhost/lab/busybox:1.35", "running", null, null],
      ["docker", "db", "lab/busybox:1.35", "running", null, null],
      ["docker", "host-agent", "lab/busybox:1.35", "running", null, null],
      ["podman", "proxy", "localhost/lab/busybox:1.35", "running", null, 64 * MiB],
      ["docker", "web", "lab/busybox:1.35", "running", 0.5, 256 * MiB],
    ]);
    // --network host: the container's traffic is the host's, not counted as its own.
    const hostAgent = snapshot.containers?.find((c) => c.name === "host-agent");
    expect(hostAgent).toMatchObject({ net_rx_bps: null, net_tx_bps: null });
  });

  test("Podman's socket is never asked: a question would start a podman service", async () => {
    const root = copyTree("lab");
    put(root, "run/podman/.keep", "");
    let connections = 0;
    const listener = Bun.listen({
      unix: `${root}/run/podman/podman.sock`,
      socket: {
        open() {
          connections += 1;
        },
        data() {},
      },
    });
    cleanups.push(() => listener.stop(true));
    const t0 = performance.now();
    const snapshot = await collectorFor(root, new FakeClock()).snapshot(["containers"]);
    expect(performance.now() - t0).toBeLessThan(400);
    expect(snapshot.errors).toBeUndefined();
    expect(snapshot.containers?.find((c) => c.id === PODMAN_PROXY)?.name).toBe("proxy");
    expect(connections).toBe(0);
  });

  test("the Docker API's real answer: names without their slash, images, states", async () => {
    const root = copyTree("lab");
    put(root, "run/.keep", "");
    const answer = readFileSync(join(HYPERVISOR, "lab-docker-containers.json"), "utf8");
    const server = Bun.serve({
      unix: `${root}/run/docker.sock`,
      fetch: () => new Response(answer, { headers: { "content-type": "application/json" } }),
    });
    cleanups.push(() => server.stop(true));
    const names = await fetchApiContainers(`${root}/run/docker.sock`, 500);
    expect([...names.values()].map((m) => [m.name, m.image, m.paused]).sort()).toEqual([
      ["db", "lab/busybox:1.35", false],
      ["host-agent", "lab/busybox:1.35", false],
      ["web", "lab/busybox:1.35", false],
    ]);
    const snapshot = await collectorFor(root, new FakeClock()).snapshot(["containers"]);
    expect(snapshot.containers?.find((c) => c.id === DOCKER_WEB)?.name).toBe("web");
  });
});
