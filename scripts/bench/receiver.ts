// Receiver benchmark (budget: 200 senders at 1 Hz with ≤ 10 % of one core; a dead sender never
// delays the others): a fake fleet in one process, the real receiver, consumers on /api/v1/live.
// Usage: bun scripts/bench/receiver.ts [--senders 200] [--consumers 10] [--minutes 10 | --seconds 60]
//          [--blackholed 0] [--warmup-s 10] [--rss-every-s 30] [--interval-ms 1000] [--bin dist/hwm]
//          [--history-ms 10000]
// --history-ms records history (SQLite in a temp dir) at that pace; with --consumers 0 nobody
// watches, so the receiver polls at that pace only: the history recorder's cost.
import { appendFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Subprocess } from "bun";
import * as v from "valibot";
import { FleetMessageSchema, type HostStatus } from "../../src/protocol/index.ts";
import type { FleetSender } from "./fleet-harness.ts";
import { fmt, freePort, processCpuMs, processTicks, rssBytes, waitFor200 } from "./lib.ts";

const { values: opts } = parseArgs({
  options: {
    senders: { type: "string", default: "200" },
    consumers: { type: "string", default: "10" },
    minutes: { type: "string", default: "10" },
    seconds: { type: "string" },
    blackholed: { type: "string", default: "0" },
    "warmup-s": { type: "string", default: "10" },
    "rss-every-s": { type: "string", default: "30" },
    "interval-ms": { type: "string", default: "1000" },
    "history-ms": { type: "string" },
    bin: { type: "string" },
  },
});

function positiveInt(name: string, text: string, min = 0): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name}: expected an integer ≥ ${min}, got ${text}`);
  return n;
}
const SENDERS = positiveInt("senders", opts.senders, 1);
const CONSUMERS = positiveInt("consumers", opts.consumers, 0);
const HISTORY_MS = opts["history-ms"] ? positiveInt("history-ms", opts["history-ms"], 100) : null;
const BLACKHOLED = positiveInt("blackholed", opts.blackholed);
const MEASURE_S = opts.seconds
  ? positiveInt("seconds", opts.seconds, 1)
  : positiveInt("minutes", opts.minutes, 1) * 60;
const WARMUP_S = positiveInt("warmup-s", opts["warmup-s"]);
const RSS_EVERY_S = positiveInt("rss-every-s", opts["rss-every-s"], 1);
const INTERVAL_MS = positiveInt("interval-ms", opts["interval-ms"], 100);
const TOKEN = "bench-token-0123456789abcdefghijkl";
const ROOT = resolve(import.meta.dir, "../..");
const HARNESS = resolve(import.meta.dir, "fleet-harness.ts");
const hwm = opts.bin ? [resolve(opts.bin)] : [process.execPath, resolve(ROOT, "src/main.ts")];
/** Whole-run limit beyond the planned time: start-up, shutdown, and slack for a loaded machine. */
const DEADLINE_MS = (WARMUP_S + MEASURE_S) * 1000 + 120_000;
/** Each consumer validates every Nth frame with valibot; the rest get the narrow check below. */
const VALIDATE_EVERY = 10;

// --- child processes: every one is tracked and ended on exit, error or signal ---

const children = new Set<Subprocess>();
let tmpDir: string | null = null;

async function stopChild(proc: Subprocess): Promise<void> {
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill("SIGTERM");
    const exited = await Promise.race([
      proc.exited.then(() => true),
      Bun.sleep(3000).then(() => false),
    ]);
    if (!exited) {
      proc.kill("SIGKILL");
      await proc.exited;
    }
  }
  children.delete(proc);
}

async function cleanup(): Promise<void> {
  await Promise.all([...children].map(stopChild));
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
  tmpDir = null;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`receiver bench: ${signal}, stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

/** Keeps the last `maxChars` of a child's output, reading continuously so its pipe never fills. */
function tail(stream: ReadableStream<Uint8Array>, maxChars = 8000): () => string {
  let text = "";
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      text = (text + decoder.decode(chunk, { stream: true })).slice(-maxChars);
    }
  })();
  return () => text;
}

// --- the fleet harness (a separate process, so its CPU is not the receiver's or ours) ---

interface HarnessStats {
  tsMs: number;
  requests: number;
}

interface Harness {
  proc: Subprocess;
  senders: FleetSender[];
  stats(): HarnessStats | null;
}

const ReadySchema = v.object({
  token: v.string(),
  config: v.nullable(v.string()),
  senders: v.array(v.object({ name: v.string(), url: v.string(), blackholed: v.boolean() })),
});
const StatsSchema = v.object({ ts_ms: v.number(), requests: v.number() });

async function startHarness(configPath: string, receiverPort: number): Promise<Harness> {
  const proc = Bun.spawn(
    [
      process.execPath,
      HARNESS,
      "--senders",
      String(SENDERS),
      "--blackholed",
      String(BLACKHOLED),
      "--token",
      TOKEN,
      "--config-out",
      configPath,
      "--receiver-listen",
      `127.0.0.1:${receiverPort}`,
      "--interval-ms",
      String(INTERVAL_MS),
      "--stats-every-ms",
      "1000",
    ],
    { stdin: "ignore", stdout: "pipe", stderr: "inherit" },
  );
  children.add(proc);
  let latest: HarnessStats | null = null;
  let ready: (senders: FleetSender[]) => void = () => {};
  const readyPromise = new Promise<FleetSender[]>((res) => {
    ready = res;
  });
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of proc.stdout) {
      buffered += decoder.decode(chunk, { stream: true });
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          continue;
        }
        const readyLine = v.safeParse(ReadySchema, json);
        if (readyLine.success) ready(readyLine.output.senders);
        const stats = v.safeParse(StatsSchema, json);
        if (stats.success) latest = { tsMs: stats.output.ts_ms, requests: stats.output.requests };
      }
    }
  })();
  const senders = await Promise.race([
    readyPromise,
    proc.exited.then((code) => {
      throw new Error(`the fleet harness exited (${code}) before it was ready`);
    }),
    Bun.sleep(30_000).then(() => {
      throw new Error("the fleet harness was not ready within 30 s");
    }),
  ]);
  return { proc, senders, stats: () => latest };
}

// --- consumers on /api/v1/live ---

/** Ages in whole ms, counted per ms up to a minute: exact percentiles in bounded memory. */
class AgeHistogram {
  private readonly counts = new Uint32Array(60_001);
  n = 0;
  maxMs = 0;
  add(ageMs: number): void {
    const ms = Math.max(0, Math.round(ageMs));
    this.counts[Math.min(ms, 60_000)] = (this.counts[Math.min(ms, 60_000)] ?? 0) + 1;
    this.n++;
    if (ms > this.maxMs) this.maxMs = ms;
  }
  percentile(p: number): number {
    if (this.n === 0) return Number.NaN;
    const rank = Math.min(this.n - 1, Math.floor((p / 100) * this.n));
    let seen = 0;
    for (let ms = 0; ms < this.counts.length; ms++) {
      seen += this.counts[ms] ?? 0;
      if (seen > rank) return ms;
    }
    return 60_000;
  }
}

/** The few fields the age measurement reads, checked without valibot's cost on every frame. */
interface FrameView {
  hosts: { id: string; status: HostStatus; snapshotTsMs: number | null }[];
}

function viewFrame(json: unknown): FrameView | null {
  if (typeof json !== "object" || json === null) return null;
  const frame = json as { type?: unknown; hosts?: unknown };
  if (frame.type !== "fleet" || !Array.isArray(frame.hosts)) return null;
  const hosts: FrameView["hosts"] = [];
  for (const h of frame.hosts as unknown[]) {
    if (typeof h !== "object" || h === null) return null;
    const host = h as { id?: unknown; status?: unknown; snapshot?: unknown };
    if (typeof host.id !== "string" || typeof host.status !== "string") return null;
    const snapshot = host.snapshot as { ts_ms?: unknown } | null | undefined;
    const ts = snapshot?.ts_ms;
    hosts.push({
      id: host.id,
      status: host.status as HostStatus,
      snapshotTsMs: typeof ts === "number" ? ts : null,
    });
  }
  return { hosts };
}

interface Consumer {
  ws: WebSocket;
  /** Frames received inside the measured window. */
  frames: number;
  maxGapMs: number;
  lastFrameAtMs: number | null;
  closed: string | null;
}

interface Measurement {
  measuring: boolean;
  liveAges: AgeHistogram;
  blackholedOnlineAges: AgeHistogram;
  validated: number;
  invalid: number;
  firstInvalid: string | null;
  otherMessages: number;
  lastFrame: FrameView | null;
}

function openConsumer(port: number, m: Measurement, blackholed: ReadonlySet<string>): Consumer {
  // Bun's constructor takes headers; the DOM typings (tsconfig lib) only know protocols.
  const init: Bun.WebSocketOptions = { headers: { authorization: `Bearer ${TOKEN}` } };
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/live`, init as unknown as string[]);
  const consumer: Consumer = { ws, frames: 0, maxGapMs: 0, lastFrameAtMs: null, closed: null };
  let seen = 0;
  ws.onmessage = (event) => {
    const receivedMs = Date.now();
    let json: unknown;
    try {
      json = JSON.parse(String(event.data));
    } catch {
      m.otherMessages++;
      return;
    }
    if (seen++ % VALIDATE_EVERY === 0) {
      const checked = v.safeParse(FleetMessageSchema, json);
      m.validated++;
      if (!checked.success) {
        m.invalid++;
        m.firstInvalid ??= v.summarize(checked.issues).slice(0, 300);
      }
    }
    const frame = viewFrame(json);
    if (!frame) {
      m.otherMessages++;
      return;
    }
    m.lastFrame = frame;
    if (!m.measuring) return;
    consumer.frames++;
    if (consumer.lastFrameAtMs !== null)
      consumer.maxGapMs = Math.max(consumer.maxGapMs, receivedMs - consumer.lastFrameAtMs);
    consumer.lastFrameAtMs = receivedMs;
    for (const host of frame.hosts) {
      if (host.status !== "online" || host.snapshotTsMs === null) continue;
      (blackholed.has(host.id) ? m.blackholedOnlineAges : m.liveAges).add(
        receivedMs - host.snapshotTsMs,
      );
    }
  };
  ws.onclose = (event) => {
    consumer.closed = `${event.code} ${event.reason}`.trim();
  };
  return consumer;
}

async function allOpen(consumers: readonly Consumer[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (consumers.every((c) => c.ws.readyState === WebSocket.OPEN)) return;
    const closed = consumers.find((c) => c.closed !== null);
    if (closed) throw new Error(`a consumer's WebSocket was refused or closed: ${closed.closed}`);
    await Bun.sleep(20);
  }
  throw new Error(`the consumers' WebSockets did not open within ${timeoutMs} ms`);
}

// --- the run ---

function assertAlive(proc: Subprocess, what: string, log: () => string): void {
  if (proc.exitCode !== null || proc.signalCode !== null)
    throw new Error(`${what} exited (${proc.exitCode ?? proc.signalCode}):\n${log()}`);
}

async function run(): Promise<[string, string][]> {
  tmpDir = mkdtempSync(join(tmpdir(), "hwm-bench-receiver-"));
  const configPath = join(tmpDir, "fleet.toml");
  const port = await freePort();
  const harness = await startHarness(configPath, port);
  const blackholed = new Set(harness.senders.filter((s) => s.blackholed).map((s) => s.name));
  const liveCount = harness.senders.length - blackholed.size;
  const historyPath = join(tmpDir, "history.db");
  if (HISTORY_MS !== null) {
    appendFileSync(
      configPath,
      `\n[history]\nenabled = true\ninterval_ms = ${HISTORY_MS}\npath = "${historyPath}"\n`,
    );
  }

  const receiver = Bun.spawn(
    [...hwm, "--role", "receiver", "--config", configPath, "--no-tui", "--log-level", "warn"],
    { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, HWM_TOKEN: "" } },
  );
  children.add(receiver);
  const receiverLog = tail(receiver.stderr);
  const receiverOut = tail(receiver.stdout);
  const log = () => `${receiverOut()}${receiverLog()}`;
  try {
    await waitFor200(`http://127.0.0.1:${port}/healthz`, performance.now(), 15_000);
  } catch (err) {
    assertAlive(receiver, "the receiver", log);
    throw err;
  }

  const m: Measurement = {
    measuring: false,
    liveAges: new AgeHistogram(),
    blackholedOnlineAges: new AgeHistogram(),
    validated: 0,
    invalid: 0,
    firstInvalid: null,
    otherMessages: 0,
    lastFrame: null,
  };
  const consumers = Array.from({ length: CONSUMERS }, () => openConsumer(port, m, blackholed));
  try {
    if (consumers.length > 0) await allOpen(consumers, 10_000);

    // Warm-up: connections made, the first polls answered, the JIT settled.
    const warmupEndMs = Date.now() + WARMUP_S * 1000;
    while (Date.now() < warmupEndMs) {
      await Bun.sleep(Math.min(500, Math.max(1, warmupEndMs - Date.now())));
      assertAlive(receiver, "the receiver", log);
      assertAlive(harness.proc, "the fleet harness", () => "");
    }

    m.measuring = true;
    const t0 = performance.now();
    const cpu0 = {
      receiver: processCpuMs(receiver.pid),
      harness: processCpuMs(harness.proc.pid),
      self: processCpuMs(process.pid),
    };
    // Clock ticks also count threads that ended during the run, which schedstat sums miss.
    const ticks0 = processTicks(receiver.pid);
    const stats0 = harness.stats();
    const rssMb: number[] = [rssBytes(receiver.pid) / 1e6];
    let nextRssMs = t0 + RSS_EVERY_S * 1000;
    const endMs = t0 + MEASURE_S * 1000;
    while (performance.now() < endMs) {
      await Bun.sleep(Math.min(1000, Math.max(1, endMs - performance.now())));
      assertAlive(receiver, "the receiver", log);
      assertAlive(harness.proc, "the fleet harness", () => "");
      if (performance.now() >= nextRssMs) {
        rssMb.push(rssBytes(receiver.pid) / 1e6);
        nextRssMs += RSS_EVERY_S * 1000;
      }
    }
    const wallMs = performance.now() - t0;
    m.measuring = false;
    const cpu1 = {
      receiver: processCpuMs(receiver.pid),
      harness: processCpuMs(harness.proc.pid),
      self: processCpuMs(process.pid),
    };
    const ticks1 = processTicks(receiver.pid);
    const stats1 = harness.stats();
    const rssLastMb = rssBytes(receiver.pid) / 1e6;
    if (rssMb.length < 2 || performance.now() - (nextRssMs - RSS_EVERY_S * 1000) > 1000)
      rssMb.push(rssLastMb);

    const pctOfCore = (ms: number) => (ms / wallMs) * 100;
    const receiverCpuMs = cpu1.receiver - cpu0.receiver;
    const polls = stats0 && stats1 ? stats1.requests - stats0.requests : Number.NaN;
    const pollSpanS = stats0 && stats1 ? (stats1.tsMs - stats0.tsMs) / 1000 : Number.NaN;
    const framesPerS = consumers.map((c) => c.frames / (wallMs / 1000));
    const last = m.lastFrame;
    const statusOf = (id: string) => last?.hosts.find((h) => h.id === id)?.status ?? "missing";
    const liveNames = harness.senders.filter((s) => !s.blackholed).map((s) => s.name);
    const liveOnline = liveNames.filter((id) => statusOf(id) === "online").length;
    const holeStatuses = new Map<string, number>();
    for (const id of blackholed) {
      const status = statusOf(id);
      holeStatuses.set(status, (holeStatuses.get(status) ?? 0) + 1);
    }
    const disconnected = consumers.filter((c) => c.closed !== null).length;

    const rows: [string, string][] = [
      [`receiver CPU, % of one core (budget ≤ 10 %)`, fmt(pctOfCore(receiverCpuMs), 2)],
      [
        "receiver CPU from clock ticks, % of one core (cross-check)",
        fmt(pctOfCore((ticks1 - ticks0) * 10), 2),
      ],
      ["receiver CPU per sender answer (ms)", fmt(receiverCpuMs / polls, 3)],
      [
        `receiver RSS first / last / max (MB), every ${RSS_EVERY_S} s`,
        `${fmt(rssMb[0] ?? Number.NaN, 1)} / ${fmt(rssLastMb, 1)} / ${fmt(Math.max(...rssMb), 1)}`,
      ],
      ["receiver RSS samples (MB)", rssMb.map((x) => fmt(x, 1)).join(", ")],
      ["fleet harness CPU, % of one core", fmt(pctOfCore(cpu1.harness - cpu0.harness), 2)],
      [
        `bench consumers CPU (this process), % of one core`,
        fmt(pctOfCore(cpu1.self - cpu0.self), 2),
      ],
      [
        `sender answers per live sender per s (harness count)`,
        fmt(polls / pollSpanS / liveCount, 3),
      ],
      [
        "fleet frames per consumer per s (min / mean)",
        `${fmt(Math.min(...framesPerS), 3)} / ${fmt(framesPerS.reduce((a, b) => a + b, 0) / framesPerS.length, 3)}`,
      ],
      [
        "longest gap between frames at a consumer (ms)",
        fmt(Math.max(...consumers.map((c) => c.maxGapMs)), 0),
      ],
      [
        `data age at consumers, live hosts: p50 / p99 / max (ms)`,
        `${fmt(m.liveAges.percentile(50), 0)} / ${fmt(m.liveAges.percentile(99), 0)} / ${fmt(m.liveAges.maxMs, 0)} (n = ${m.liveAges.n})`,
      ],
      [
        "live hosts online in the last frame",
        `${liveOnline} / ${liveCount} (${fmt((liveOnline / liveCount) * 100, 1)} %)`,
      ],
    ];
    if (blackholed.size > 0) {
      rows.push([
        `black-holed hosts in the last frame, by status`,
        [...holeStatuses].map(([status, n]) => `${status} ${n}`).join(", "),
      ]);
      rows.push([
        "black-holed hosts' ages reported while online (should be none)",
        String(m.blackholedOnlineAges.n),
      ]);
    }
    rows.push([
      `frames validated with valibot (1 in ${VALIDATE_EVERY}) / invalid`,
      `${m.validated} / ${m.invalid}${m.firstInvalid ? ` (first: ${m.firstInvalid})` : ""}`,
    ]);
    if (m.otherMessages > 0)
      rows.push(["messages that were no fleet frame", String(m.otherMessages)]);
    rows.push(["consumers disconnected during the run", String(disconnected)]);
    if (HISTORY_MS !== null) {
      const size = (path: string) => {
        try {
          return statSync(path).size;
        } catch {
          return 0;
        }
      };
      rows.push([
        `history file after the run, database + WAL (MB)`,
        fmt((size(historyPath) + size(`${historyPath}-wal`)) / 1e6, 2),
      ]);
    }
    return rows;
  } finally {
    for (const c of consumers) c.ws.close();
  }
}

const deadline = setTimeout(() => {
  console.error(`receiver bench: still running after ${DEADLINE_MS} ms, giving up`);
  cleanup().finally(() => process.exit(1));
}, DEADLINE_MS);

try {
  const rows = await run();
  const command = `bun scripts/bench/receiver.ts ${process.argv.slice(2).join(" ")}`.trim();
  const cpu = cpus();
  console.log(`\`${command}\``);
  console.log("");
  console.log(
    `${SENDERS} senders${BLACKHOLED ? ` + ${BLACKHOLED} black-holed` : ""}, ${CONSUMERS} consumers, interval ${INTERVAL_MS} ms${HISTORY_MS === null ? "" : `, history recorded every ${HISTORY_MS} ms`}, ${WARMUP_S} s warm-up, ${MEASURE_S} s measured; receiver: \`${opts.bin ?? "bun src/main.ts"}\`; ${cpu.length} × ${cpu[0]?.model ?? "?"}, bun ${Bun.version}`,
  );
  console.log("");
  console.log("| measure | value |");
  console.log("| --- | --- |");
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
} catch (err) {
  console.error(`receiver bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  clearTimeout(deadline);
  await cleanup();
}
