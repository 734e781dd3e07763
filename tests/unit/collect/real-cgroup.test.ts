// Real cgroups of this machine's kernel, read back by the collector: a Proxmox-style VM scope in
// a cgroup v2 hierarchy and a Docker-style container in the v1 controllers, each holding a busy
// child process. Where the kernel or our privileges do not allow it, the test says why and skips.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCollector } from "../../../src/collect/index.ts";
import { CgroupFiles } from "../../../src/collect/linux/cgroup-files.ts";
import { makeTempDir } from "./fixtures.ts";

const CONTAINER_ID = "feed".repeat(16);

interface Mount {
  path: string;
  fstype: string;
  options: string;
}

function mounts(): Mount[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .flatMap((line) => {
      const [before, after] = line.split(" - ");
      const fields = before?.split(" ") ?? [];
      const [fstype, , options] = after?.split(" ") ?? [];
      const path = fields[4];
      // Only hierarchies mounted at their root: our own paths below are then valid under them.
      if (!path || !fstype || fields[3] !== "/") return [];
      return [{ path, fstype, options: options ?? "" }];
    });
}

/** This process's cgroup path in a v1 controller's hierarchy, from /proc/self/cgroup. */
function ownPath(controller: string): string | null {
  for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
    const [, controllers, path] = line.split(":");
    if (controllers?.split(",").includes(controller)) return path ?? null;
  }
  return null;
}

const made: string[] = [];
const children: ReturnType<typeof Bun.spawn>[] = [];
const unmounts: string[] = [];

afterAll(async () => {
  for (const child of children) {
    child.kill("SIGKILL");
    await child.exited;
  }
  // A cgroup can be removed once its processes are gone; deepest first.
  for (const dir of made.reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // Already removed by the test.
    }
  }
  for (const dir of unmounts) Bun.spawnSync(["umount", dir]);
});

/** mkdir -p for cgroup directories, remembered for removal; the reason it failed otherwise. */
function makeCgroup(base: string, rel: string): string | null {
  let dir = base;
  for (const part of rel.split("/")) {
    dir = join(dir, part);
    try {
      mkdirSync(dir);
      made.push(dir);
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") return null;
    }
  }
  return dir;
}

/** A process spinning on one core; with `allocateMiB`, it first fills that much memory after 300 ms (once moved). */
function busyChild(allocateMiB = 0): ReturnType<typeof Bun.spawn> {
  const script = `await Bun.sleep(${allocateMiB > 0 ? 300 : 0}); const held = Buffer.alloc(${allocateMiB} << 20, 1); for (;;) held[0]++;`;
  const child = Bun.spawn([process.execPath, "-e", script], { stdout: "ignore" });
  children.push(child);
  return child;
}

/** A cgroup v2 hierarchy: the one mounted here, or one we mount in a temp dir; else why not. */
function cgroup2Root(): { root: string } | { reason: string } {
  const mounted = mounts().find((m) => m.fstype === "cgroup2");
  if (mounted) return { root: mounted.path };
  const dir = makeTempDir("cgroup2");
  const mount = Bun.spawnSync(["mount", "-t", "cgroup2", "none", dir], { stderr: "pipe" });
  if (mount.exitCode !== 0) {
    return {
      reason: `no cgroup2 mounted, and mounting one failed: ${mount.stderr.toString().trim()}`,
    };
  }
  unmounts.push(dir);
  return { root: dir };
}

function setUp2(): { sysfs: string; scope: string } | { reason: string } {
  const found = cgroup2Root();
  if ("reason" in found) return found;
  const base = makeCgroup(found.root, `hwm-test-${process.pid}`);
  const scope = base && makeCgroup(base, "qemu.slice/4242.scope");
  if (!base || !scope) return { reason: `cannot create a cgroup under ${found.root} (not root?)` };
  const sysfs = join(makeTempDir("real-sysfs"), "sys");
  mkdirSync(join(sysfs, "fs"), { recursive: true });
  // The test's subtree stands in for the root: qemu.slice is then where Proxmox puts it.
  symlinkSync(base, join(sysfs, "fs/cgroup"));
  return { sysfs, scope };
}

const v2 = setUp2();
if ("reason" in v2) console.warn(`skipped: a real cgroup v2 VM scope: ${v2.reason}`);

describe("a real cgroup v2 scope", () => {
  test.skipIf("reason" in v2)(
    "a busy process in qemu.slice/4242.scope reads as a running VM, then as stopped once it is gone",
    async () => {
      if ("reason" in v2) return;
      const pveDir = makeTempDir("real-pve");
      mkdirSync(join(pveDir, "qemu-server"));
      writeFileSync(join(pveDir, "qemu-server/4242.conf"), "name: real\ncores: 1\nmemory: 64\n");
      const child = busyChild();
      writeFileSync(join(v2.scope, "cgroup.procs"), String(child.pid));
      const collector = createCollector({ sysfs: v2.sysfs, pveDir });
      const running = await collector.snapshot(["guests"]);
      const guest = running.guests?.[0];
      expect(running.errors).toBeUndefined();
      expect(guest).toMatchObject({ id: 4242, kind: "vm", name: "real", status: "running" });
      // A shell spinning on one core, measured over the 200 ms baseline.
      expect(guest?.cpu_pct).toBeGreaterThan(20);
      expect(guest?.cpu_pct).toBeLessThanOrEqual(110);
      expect(guest?.uptime_s).toBeGreaterThanOrEqual(0);
      expect(guest?.uptime_s).toBeLessThan(60);

      // The cgroup file kept open, then its cgroup removed: no throw, just "gone".
      const files = new CgroupFiles();
      expect(files.read(v2.scope, "cpu.stat")).toContain("usage_usec");
      child.kill("SIGKILL");
      await child.exited;
      rmdirSync(v2.scope);
      expect(files.read(v2.scope, "cpu.stat")).toBeNull();

      // Past the section's cache lifetime (3 s).
      await Bun.sleep(3_100);
      const stopped = await collector.snapshot(["guests"]);
      expect(stopped.guests).toEqual([expect.objectContaining({ id: 4242, status: "stopped" })]);
    },
  );
});

/** The v1 controllers the containers section reads, each with a test cgroup for a container. */
function setUp1(): { sysfs: string; dirs: Record<string, string> } | { reason: string } {
  const sysfs = join(makeTempDir("real-sysfs-v1"), "sys");
  mkdirSync(join(sysfs, "fs/cgroup"), { recursive: true });
  const dirs: Record<string, string> = {};
  for (const controller of ["cpuacct", "memory", "blkio", "cpu"]) {
    const mount = mounts().find(
      (m) => m.fstype === "cgroup" && m.options.split(",").includes(controller),
    );
    const own = ownPath(controller);
    if (!mount || own === null) return { reason: `no cgroup v1 ${controller} controller here` };
    const base = makeCgroup(mount.path, `${own}/hwm-test-${process.pid}`.replace(/^\/+/, ""));
    const dir = base && makeCgroup(base, `docker/${CONTAINER_ID}`);
    if (!base || !dir) return { reason: `cannot create a ${controller} cgroup (not root?)` };
    symlinkSync(base, join(sysfs, "fs/cgroup", controller));
    dirs[controller] = dir;
  }
  return { sysfs, dirs };
}

const v1 = setUp1();
if ("reason" in v1) console.warn(`skipped: a real cgroup v1 container: ${v1.reason}`);

describe("real cgroup v1 controllers", () => {
  test.skipIf("reason" in v1)(
    "a busy process in docker/<id> with a memory limit and a CPU quota reads as a container",
    async () => {
      if ("reason" in v1) return;
      const { dirs } = v1;
      writeFileSync(join(dirs.memory ?? "", "memory.limit_in_bytes"), String(256 * 1024 * 1024));
      writeFileSync(join(dirs.cpu ?? "", "cpu.cfs_period_us"), "100000");
      writeFileSync(join(dirs.cpu ?? "", "cpu.cfs_quota_us"), "50000");
      const child = busyChild(32);
      for (const dir of Object.values(dirs))
        writeFileSync(join(dir, "cgroup.procs"), String(child.pid));
      // v1 charges memory to the cgroup that allocates it: wait for the child's 32 MiB.
      await Bun.sleep(600);
      const collector = createCollector({ sysfs: v1.sysfs });
      const snapshot = await collector.snapshot(["containers"]);
      expect(snapshot.errors).toBeUndefined();
      const container = snapshot.containers?.[0];
      expect(container).toMatchObject({
        id: CONTAINER_ID,
        runtime: "docker",
        status: "running",
        cores: 0.5,
        mem_limit_bytes: 256 * 1024 * 1024,
      });
      // Held to half a core by its quota (a little over, as CFS enforces it per period).
      expect(container?.cpu_pct).toBeGreaterThan(10);
      expect(container?.cpu_pct).toBeLessThan(75);
      expect(container?.mem_used_bytes).toBeGreaterThanOrEqual(32 * 1024 * 1024);
      expect(container?.uptime_s).toBeLessThan(60);
    },
  );
});
