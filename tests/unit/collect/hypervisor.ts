// The Proxmox and container host trees (tests/fixtures/linux/hypervisor: hand-made, and the
// lab's), copied to a temporary directory so that a test can move counters, start and stop guests
// between readings.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type Collector, createCollector } from "../../../src/collect/index.ts";
import type { FakeClock } from "./fake-clock.ts";
import { makeTempDir } from "./fixtures.ts";

export const HYPERVISOR = resolve(import.meta.dir, "../../fixtures/linux/hypervisor");

/** A writable copy of one tree: pve7, pve8, pve9, containers, cgroup-v1 or lab. */
export function copyTree(name: string): string {
  const root = join(makeTempDir(name), "host");
  cpSync(join(HYPERVISOR, name), root, { recursive: true, verbatimSymlinks: true });
  return root;
}

export function collectorFor(root: string, clock: FakeClock): Collector {
  return createCollector({
    procfs: `${root}/proc`,
    sysfs: `${root}/sys`,
    pveDir: `${root}/etc/pve`,
    clock,
  });
}

/** Write a file of the tree in place (the collector keeps cgroup files open, as on a real host). */
export function put(root: string, path: string, text: string): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

export function cpuStat(usageUsec: number): string {
  return `usage_usec ${usageUsec}\nuser_usec ${usageUsec}\nsystem_usec 0\nnr_periods 0\n`;
}

/** /proc/net/dev with these interfaces: [name, rx bytes, tx bytes]. */
export function netDev(ifaces: readonly [string, number, number][]): string {
  const head =
    "Inter-|   Receive                                                |  Transmit\n" +
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";
  return (
    head +
    ifaces
      .map(([name, rx, tx]) => `${name.padStart(6)}: ${rx} 10 0 0 0 0 0 0 ${tx} 10 0 0 0 0 0 0\n`)
      .join("")
  );
}

/** /proc/<pid>/stat of a process started `startTicks` (1/100 s) after boot. */
export function pidStat(pid: number, comm: string, startTicks: number): string {
  return `${pid} (${comm}) S 1 ${pid} ${pid} 0 -1 4194560 100 0 0 0 10 5 0 0 20 0 1 0 ${startTicks} 1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n`;
}

/** A cgroup v2 leaf with the files the collector reads. */
export function v2Cgroup(
  root: string,
  rel: string,
  c: { usageUsec: number; memBytes: number; procs?: string; memMax?: string },
): void {
  const dir = `sys/fs/cgroup/${rel}`;
  put(root, `${dir}/cpu.stat`, cpuStat(c.usageUsec));
  put(root, `${dir}/memory.current`, `${c.memBytes}\n`);
  put(root, `${dir}/memory.stat`, "anon 1\nfile 0\ninactive_file 0\n");
  put(root, `${dir}/memory.max`, `${c.memMax ?? "max"}\n`);
  put(root, `${dir}/cpu.max`, "max 100000\n");
  put(root, `${dir}/io.stat`, "");
  put(root, `${dir}/cgroup.procs`, c.procs ?? "");
}
