// Consumers that die without closing: a real receiver and real consumer processes, one frozen
// with SIGSTOP (as a sleeping laptop or a dead NAT leaves its socket), one only slow (stopped
// and continued in turns). The frozen one is dropped within the documented bound and, once
// nobody else watches, polling stops; the slow one stays connected.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PING_EVERY_MS, SILENT_LIMIT_MS } from "../../src/receiver/live.ts";
import { killConsumers, startConsumer } from "../helpers/consumer-process.ts";
import { type RunningProcess, startHwm, TOKEN } from "../helpers/process.ts";

const INTERVAL_MS = 300;
/** Timers slip on a loaded machine; the bound itself is SILENT_LIMIT_MS + PING_EVERY_MS. */
const SLACK_MS = 2_000;
const dir = mkdtempSync(join(tmpdir(), "hwm-live-consumers-"));
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  killConsumers();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await Bun.sleep(50);
  }
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
const snapshotRequests = (sender: RunningProcess) =>
  count(sender.log(), /ws request type=snapshot/g);

test(
  "a frozen consumer is dropped within the bound and polling stops; a slow one is kept",
  async () => {
    const sender = await startHwm([
      "--role",
      "sender",
      "--listen",
      "127.0.0.1:0",
      "--token",
      TOKEN,
      "--no-tui",
      "--log-level",
      "debug",
    ]);
    cleanups.push(() => sender.stop());
    const config = join(dir, "receiver.toml");
    writeFileSync(
      config,
      `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = ${INTERVAL_MS}\n` +
        `[[senders]]\nname = "one"\nurl = "${sender.url}"\n`,
    );
    const receiver = await startHwm(["--config", config, "--no-tui"]);
    cleanups.push(() => receiver.stop());
    const dropped = () => count(receiver.log(), /consumer dropped: it answered no ping/g);
    const stopped = () => count(receiver.log(), /polling stopped/g);

    const frozen = startConsumer(receiver.url);
    const slow = startConsumer(receiver.url);
    await waitFor(
      "both consumers get frames",
      () => frozen.frames() > 0 && slow.frames() > 0,
      10_000,
    );

    // Freeze one for good; let the other run half a second in every 3.5 s.
    const frozenAtMs = Date.now();
    frozen.proc.kill("SIGSTOP");
    let cycling = true;
    const cycle = (async () => {
      while (cycling) {
        slow.proc.kill("SIGSTOP");
        await Bun.sleep(3000);
        slow.proc.kill("SIGCONT");
        await Bun.sleep(500);
      }
    })();

    await waitFor("the frozen consumer is dropped", () => dropped() === 1, 40_000);
    const droppedAfterMs = Date.now() - frozenAtMs;
    // It answered its last ping at most PING_EVERY_MS before it froze.
    expect(droppedAfterMs).toBeGreaterThan(SILENT_LIMIT_MS - PING_EVERY_MS);
    expect(droppedAfterMs).toBeLessThan(SILENT_LIMIT_MS + PING_EVERY_MS + SLACK_MS);
    expect(stopped()).toBe(0); // the slow one still watches

    // The slow one has now been slow for longer than the limit, and is still served.
    cycling = false;
    await cycle;
    slow.proc.kill("SIGCONT");
    const framesBefore = slow.frames();
    await waitFor(
      "the slow consumer gets new frames",
      () => slow.frames() > framesBefore + 2,
      10_000,
    );
    expect(slow.output()).not.toContain("closed");
    expect(dropped()).toBe(1);
    const requestsWhileWatched = snapshotRequests(sender);
    await Bun.sleep(INTERVAL_MS * 3);
    expect(snapshotRequests(sender)).toBeGreaterThan(requestsWhileWatched);

    // The last consumer freezes: polling stops within the same bound.
    const lastFrozenAtMs = Date.now();
    slow.proc.kill("SIGSTOP");
    await waitFor("polling stops", () => stopped() === 1, 40_000);
    expect(Date.now() - lastFrozenAtMs).toBeLessThan(SILENT_LIMIT_MS + PING_EVERY_MS + SLACK_MS);
    expect(dropped()).toBe(2);
    await Bun.sleep(INTERVAL_MS * 2);
    const requestsAfter = snapshotRequests(sender);
    await Bun.sleep(INTERVAL_MS * 5);
    expect(snapshotRequests(sender)).toBe(requestsAfter);
  },
  { timeout: 120_000 },
);
