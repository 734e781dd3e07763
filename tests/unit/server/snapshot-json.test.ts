// The sender's snapshot text: exactly what JSON.stringify writes, each section serialised once
// while the collector serves the same reading, and a new reading serialised afresh.
import { expect, test } from "bun:test";
import type { Snapshot } from "../../../src/protocol/index.ts";
import { snapshotJson } from "../../../src/sender/snapshot-json.ts";
import { FakeClock } from "../collect/fake-clock.ts";
import { collectorFor, copyTree, put, v2Cgroup } from "../collect/hypervisor.ts";

test("the same text as JSON.stringify: undefined keys left out, nulls and errors kept", () => {
  const snapshot = {
    v: 1,
    host: 'pve "1"',
    ts_ms: 1,
    uptime_s: null,
    cpu: undefined,
    disks: null,
    errors: { disks: "timed out" },
  } as unknown as Snapshot;
  expect(snapshotJson(snapshot)).toBe(JSON.stringify(snapshot));
  expect(snapshotJson({ v: 1, host: "h", ts_ms: 0, uptime_s: 5 })).toBe(
    '{"v":1,"host":"h","ts_ms":0,"uptime_s":5}',
  );
});

test("a cached section is serialised once; a fresh reading is serialised again", async () => {
  const root = copyTree("pve8");
  const clock = new FakeClock();
  const collector = collectorFor(root, clock);
  const first = await collector.snapshot(["guests", "memory"]);
  expect(snapshotJson(first)).toBe(JSON.stringify(first));

  const realStringify = JSON.stringify;
  let guestsSerialised = 0;
  JSON.stringify = ((value: unknown, ...rest: never[]) => {
    if (value === first.guests) guestsSerialised++;
    return realStringify(value, ...rest);
  }) as typeof JSON.stringify;
  try {
    // Within the guests' 3 s: the same reading, its text reused.
    clock.advance(1_000);
    const cached = await collector.snapshot(["guests", "memory"]);
    expect(cached.guests).toBe(first.guests);
    expect(snapshotJson(cached)).toBe(realStringify(cached));
    expect(guestsSerialised).toBe(0);
  } finally {
    JSON.stringify = realStringify;
  }
  // A new reading: new text (VM 106 started).
  v2Cgroup(root, "qemu.slice/106.scope", { usageUsec: 10, memBytes: 1 << 20, procs: "7200\n" });
  put(root, "etc/pve/nodes/pve1/qemu-server/106.conf", "name: fresh\n");
  clock.advance(2_000);
  const fresh = await collector.snapshot(["guests", "memory"]);
  expect(fresh.guests).not.toBe(first.guests);
  expect(snapshotJson(fresh)).toBe(JSON.stringify(fresh));
  expect(snapshotJson(fresh)).toContain('"name":"fresh"');
});
