// The real receiver against a fleet of hostile fake senders and one real sender: each attack
// leaves its host incompatible, unauthorized or offline with a clear last_error, the receiver's
// memory stays bounded, and the real sender's host keeps updating at the interval.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { FleetMessageSchema, type HostState, type HostStatus } from "../../src/protocol/index.ts";
import { startFreezingProxy } from "../helpers/freezing-proxy.ts";
import { HOSTILE_MODES, type HostileMode, startHostileSender } from "../helpers/hostile-sender.ts";
import {
  auth,
  type RunningProcess,
  startHwm,
  startSender,
  TOKEN,
  WsClient,
  wsUrl,
} from "../helpers/process.ts";

const INTERVAL_MS = 500;
const MAX_RSS_BYTES = 200 * 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), "hwm-hostile-"));
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const EXPECTED: Record<HostileMode, { status: HostStatus; error: string }> = {
  oversized: { status: "incompatible", error: "bytes (max_message_bytes)" },
  fragments: { status: "incompatible", error: "bytes (max_message_bytes)" },
  nested: { status: "incompatible", error: "nested deeper than 16 levels" },
  wide: { status: "incompatible", error: "at most 8192 items" },
  bomb: { status: "incompatible", error: "extension that was not offered" },
  redirect: { status: "incompatible", error: "never followed" },
  "gzip-401": { status: "unauthorized", error: "the sender refused the token (HTTP 401)" },
  throttled: { status: "unauthorized", error: "the sender refused the token too often" },
  escapes: { status: "incompatible", error: "\\u001b[2J" },
  silent: { status: "offline", error: "no answer within 400 ms" },
};

/** Resident memory now and at its peak, from the kernel. */
function memory(pid: number): { rssBytes: number; peakBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssBytes: kib("VmRSS") * 1024, peakBytes: kib("VmHWM") * 1024 };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

test("hostile senders: bounded memory, clear reasons, and the real host keeps its pace", async () => {
  const hostile = startHostileSender();
  cleanups.push(() => hostile.stop());
  const good = await startSender();
  cleanups.push(() => good.stop());
  const config = join(dir, "receiver.toml");
  writeFileSync(
    config,
    [
      'role = "receiver"',
      'listen = "127.0.0.1:0"',
      `token = "${TOKEN}"`,
      `interval_ms = ${INTERVAL_MS}`,
      `[[senders]]\nname = "good"\nurl = "${good.url}"`,
      ...HOSTILE_MODES.map((m) => `[[senders]]\nname = "${m}"\nurl = "${hostile.url(m)}"`),
    ].join("\n"),
  );
  const receiver: RunningProcess = await startHwm(["--config", config, "--no-tui"]);
  cleanups.push(() => receiver.stop());
  const baseline = memory(receiver.proc.pid);
  const ws = new WsClient(wsUrl(receiver.url, "/api/v1/live"), { headers: auth });
  cleanups.push(() => ws.close());
  await ws.opened();

  // Wait for the first round that has the good host online, then watch 20 rounds.
  const frames: { atMs: number; hosts: Map<string, HostState> }[] = [];
  for (let i = 0; i < 40 && frames.length < 21; i++) {
    const message = await ws.nextJson(5000);
    if (message.type !== "fleet") continue;
    const hosts = new Map(v.parse(FleetMessageSchema, message).hosts.map((h) => [h.id, h]));
    if (frames.length === 0 && hosts.get("good")?.status !== "online") continue;
    frames.push({ atMs: performance.now(), hosts });
  }
  expect(frames.length).toBe(21);

  // The real host: online in every frame, with a fresh snapshot each round.
  const gapsMs = frames.slice(1).map((f, i) => f.atMs - (frames[i]?.atMs ?? 0));
  const sorted = [...gapsMs].sort((a, b) => a - b);
  const goodTs = frames.map((f) => f.hosts.get("good")?.snapshot?.ts_ms ?? 0);
  const fresh = goodTs.slice(1).filter((ts, i) => ts > (goodTs[i] ?? 0)).length;
  console.log(
    `frame gaps over 20 rounds at ${INTERVAL_MS} ms: p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p95 ${percentile(sorted, 0.95).toFixed(0)} ms, max ${Math.max(...gapsMs).toFixed(0)} ms; good host fresh in ${fresh}/20`,
  );
  for (const frame of frames) expect(frame.hosts.get("good")?.status).toBe("online");
  expect(fresh).toBe(20);
  expect(percentile(sorted, 0.5)).toBeGreaterThan(INTERVAL_MS * 0.8);
  expect(percentile(sorted, 0.5)).toBeLessThan(INTERVAL_MS * 1.2);
  expect(Math.max(...gapsMs)).toBeLessThan(INTERVAL_MS * 1.6);

  // Each hostile host: the status that fits, and a reason in words, with nothing a terminal obeys.
  const last = frames[frames.length - 1]?.hosts ?? new Map<string, HostState>();
  for (const mode of HOSTILE_MODES) {
    const host = last.get(mode);
    expect({ mode, status: host?.status }).toEqual({ mode, status: EXPECTED[mode].status });
    expect(host?.last_error ?? "").toContain(EXPECTED[mode].error);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not get through
    expect(host?.last_error ?? "").not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  }
  expect(hostile.redirectTargetConnections()).toBe(0);
  expect(receiver.log()).not.toContain("\u001b");

  const after = memory(receiver.proc.pid);
  const sent = HOSTILE_MODES.map(
    (m) => `${m} ${(hostile.stats(m).bytesWritten / 1024).toFixed(0)} KiB`,
  );
  console.log(
    `receiver RSS: ${(baseline.rssBytes / 2 ** 20).toFixed(0)} MiB at start, ${(after.rssBytes / 2 ** 20).toFixed(0)} MiB after 20 rounds, peak ${(after.peakBytes / 2 ** 20).toFixed(0)} MiB; the hostile senders got into the socket: ${sent.join(", ")}`,
  );
  expect(after.peakBytes).toBeLessThan(MAX_RSS_BYTES);
}, 60_000);

test("a link that dies silently (a NAT forgets it): not online within two intervals, back by itself", async () => {
  const sender = await startSender();
  cleanups.push(() => sender.stop());
  const proxy = await startFreezingProxy(sender.url);
  cleanups.push(() => proxy.stop());
  const config = join(dir, "nat.toml");
  writeFileSync(
    config,
    `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = ${INTERVAL_MS}\n[[senders]]\nname = "nat"\nurl = "${proxy.url}"\n`,
  );
  const receiver = await startHwm(["--config", config, "--no-tui"]);
  cleanups.push(() => receiver.stop());
  const ws = new WsClient(wsUrl(receiver.url, "/api/v1/live"), { headers: auth });
  cleanups.push(() => ws.close());
  await ws.opened();
  const statusOf = async () => {
    for (;;) {
      const message = await ws.nextJson(5000);
      if (message.type !== "fleet") continue;
      return v.parse(FleetMessageSchema, message).hosts.find((h) => h.id === "nat");
    }
  };
  for (let i = 0; i < 20 && (await statusOf())?.status !== "online"; i++);
  // The path goes down: open connections carry nothing more, new ones get nowhere.
  proxy.freeze();
  proxy.block();
  const frozenAtMs = performance.now();
  let down = await statusOf();
  for (let i = 0; i < 10 && down?.status === "online"; i++) down = await statusOf();
  const noticedMs = performance.now() - frozenAtMs;
  expect(down?.status).not.toBe("online");
  expect(down?.last_error).toBe(`no answer within ${INTERVAL_MS * 0.8} ms`);
  // Changed within two intervals; the frame that shows it goes out at the next round.
  expect(noticedMs).toBeLessThan(INTERVAL_MS * 3);
  // The path comes back. The old connection stays dead (no close, no reset ever comes).
  proxy.unblock();
  const unblockedAtMs = performance.now();
  let back = false;
  for (let i = 0; i < 20 && !back; i++) back = (await statusOf())?.status === "online";
  const recoveredMs = performance.now() - unblockedAtMs;
  console.log(
    `silently dead link: noticed after ${noticedMs.toFixed(0)} ms, online again ${recoveredMs.toFixed(0)} ms after the path came back (interval ${INTERVAL_MS} ms)`,
  );
  expect(back).toBe(true);
  expect(proxy.connections()).toBeGreaterThan(1);
}, 30_000);
