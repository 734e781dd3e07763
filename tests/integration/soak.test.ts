// A minute of the soak (scripts/bench/soak.ts): 50 senders (two of them real hwm processes) and
// 5 consumers on the real receiver. Nothing may be lost or grow: no reconnect, no descriptor
// more at the end than at the start, frames for at least 95 % of the rounds due, a steady fleet
// with no status change, no error in the log, and RSS rising no faster than SOAK_RSS_MIB_PER_HOUR.
// A minute's RSS mostly shows the heap filling between collections, so a second test runs the
// receiver in this process and counts what survives a full collection, round after round.

import { heapStats } from "bun:jsc";
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fleetConfigToml, startFleet } from "../../scripts/bench/fleet-harness.ts";
import { freePort } from "../../scripts/bench/lib.ts";
import { SOAK_RSS_MIB_PER_HOUR, soak, soakTable } from "../../scripts/bench/soak.ts";
import { resolveConfig } from "../../src/config/index.ts";
import { silentLogger } from "../../src/log.ts";
import { startNode } from "../../src/node.ts";
import { hwmCommand, TOKEN } from "../helpers/process.ts";

const dir = mkdtempSync(join(tmpdir(), "hwm-soak-test-"));
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test("soak for 60 s: 50 senders, 5 consumers, nothing lost, nothing growing", async () => {
  const result = await soak({
    senders: 50,
    realSenders: 2,
    consumers: 5,
    intervalMs: 1000,
    warmupS: 15,
    measureS: 60,
    sampleEveryS: 5,
    command: hwmCommand(),
  });
  console.log(soakTable(result));
  expect(result.logProblems).toEqual([]);
  expect(result.hostsOnline).toBe(50);
  expect(result.statusChanges).toBe(0);
  expect(result.invalidFrames).toBe(0);
  expect(result.receiverDropped).toBe(0);
  for (const consumer of result.consumers) {
    expect(consumer.reconnects).toBe(0);
    expect(consumer.frames).toBeGreaterThanOrEqual(Math.floor(result.expectedFrames * 0.95));
  }
  expect(result.fds.at(-1)).toBeLessThanOrEqual(result.fds[0] ?? 0);
  expect(Math.max(...result.fds)).toBeLessThanOrEqual((result.fds[0] ?? 0) + 2);
  expect(result.rssSlopeMiBPerHour).toBeLessThan(SOAK_RSS_MIB_PER_HOUR);
}, 150_000);

test("the receiver's heap after a full collection stays flat, round after round", async () => {
  const INTERVAL_MS = 250;
  const fleet = await startFleet({ senders: 50, token: TOKEN });
  cleanups.push(() => fleet.stop());
  const port = await freePort();
  const config = join(dir, "receiver.toml");
  writeFileSync(
    config,
    fleetConfigToml(fleet.senders, {
      token: TOKEN,
      listen: `127.0.0.1:${port}`,
      intervalMs: INTERVAL_MS,
    }),
    { mode: 0o600 },
  );
  const node = await startNode(resolveConfig({ config }, { HOME: dir }), silentLogger, {
    env: { HOME: dir },
  });
  cleanups.push(() => node.stop());
  let frames = 0;
  for (let i = 0; i < 5; i++) {
    const init = { headers: { authorization: `Bearer ${TOKEN}` } };
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/live`, init as unknown as string[]);
    ws.onmessage = () => {
      frames++;
    };
    cleanups.push(() => ws.close());
  }
  const sample = () => {
    Bun.gc(true);
    const stats = heapStats();
    return { frames, objects: stats.objectCount, heapBytes: stats.heapSize };
  };
  // Warm-up: connections made, code compiled, caches filled (the count still falls for a while).
  await Bun.sleep(10_000);
  const samples = [sample()];
  for (let i = 0; i < 5; i++) {
    await Bun.sleep(5_000);
    samples.push(sample());
  }
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) throw new Error("no samples");
  const rounds = (last.frames - first.frames) / 5;
  const lowest = (key: "objects" | "heapBytes") => Math.min(...samples.map((s) => s[key]));
  console.log(
    `heap after a full collection, every 5 s over ${rounds} rounds (50 hosts, 5 consumers, ${INTERVAL_MS} ms): objects ${samples.map((s) => s.objects).join(", ")}; heap ${samples.map((s) => (s.heapBytes / 2 ** 20).toFixed(2)).join(", ")} MiB`,
  );
  expect(rounds).toBeGreaterThan(80);
  // Anything kept per round (a frame, a promise, a timer) adds at least one object a round; the
  // steady state moves by a few either way.
  expect(last.objects - lowest("objects")).toBeLessThan(rounds / 2);
  expect(last.heapBytes - lowest("heapBytes")).toBeLessThan(256 * 1024);
}, 70_000);
