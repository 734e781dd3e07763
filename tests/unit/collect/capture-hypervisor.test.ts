// scripts/capture-hypervisor.sh run on the hand-made trees: what it captures reads back as the
// same guests and containers, on cgroup v2 and v1 alike.
import { describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { FakeClock } from "./fake-clock.ts";
import { makeTempDir } from "./fixtures.ts";
import { collectorFor, HYPERVISOR } from "./hypervisor.ts";

const SCRIPT = resolve(import.meta.dir, "../../../scripts/capture-hypervisor.sh");

async function guestsAndContainers(root: string) {
  const snapshot = await collectorFor(root, new FakeClock()).snapshot(["guests", "containers"]);
  return {
    guests: snapshot.guests,
    containers: snapshot.containers
      ?.map((c) => ({ ...c, name: null, image: null }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

describe("capture-hypervisor.sh", () => {
  for (const tree of ["pve8", "pve7", "containers", "cgroup-v1"]) {
    test(`a capture of ${tree} reads as the tree itself`, async () => {
      const source = join(HYPERVISOR, tree);
      const target = join(makeTempDir("capture"), "out");
      const run = Bun.spawnSync(
        ["bash", SCRIPT, target, `${source}/proc`, `${source}/sys`, `${source}/etc/pve`],
        { stderr: "pipe", stdout: "pipe" },
      );
      expect(run.stderr.toString()).toBe("");
      expect(run.exitCode).toBe(0);
      // Names of containers come from state files under /var/lib, not from the tree: left aside.
      const original = await guestsAndContainers(source);
      expect(await guestsAndContainers(target)).toEqual(original);
      expect(original.guests?.length || original.containers?.length).toBeGreaterThan(0);
    });
  }
});
