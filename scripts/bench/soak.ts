// Soak: the real receiver held under a steady fleet for a long time (50 senders: fake ones from
// the fleet harness plus a couple of real hwm senders; 5 consumers on WS /api/v1/live), sampling
// its RSS and open descriptors to fit their slope per hour, and counting what the consumers got:
// frames against the rounds due, frames missed, reconnects; and what went wrong in its log.
// Usage: bun scripts/bench/soak.ts [--minutes 30 | --seconds 60] [--senders 50] [--real-senders 2]
//          [--consumers 5] [--interval-ms 1000] [--warmup-s 15] [--sample-every-s 10] [--bin dist/hwm]
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Subprocess } from "bun";
import * as v from "valibot";
import { FleetMessageSchema } from "../../src/protocol/index.ts";
import { fleetConfigToml, startFleet } from "./fleet-harness.ts";
import { fmt, freePort, processCpuMs, rssBytes, waitFor200 } from "./lib.ts";

export interface SoakOptions {
  /** Senders in all, real ones included. */
  senders: number;
  /** Of them, real `hwm --role sender` processes on loopback. */
  realSenders: number;
  consumers: number;
  intervalMs: number;
  warmupS: number;
  measureS: number;
  sampleEveryS: number;
  /** The hwm command (the compiled binary); default: bun on the source. */
  command?: readonly string[];
  /** Called now and then with a line on how far the run is. */
  progress?: (line: string) => void;
}

export interface ConsumerResult {
  frames: number;
  /** Rounds that went by without a frame reaching this consumer (from the gaps between frames). */
  missed: number;
  reconnects: number;
  longestGapMs: number;
}

export interface SoakResult {
  measuredS: number;
  /** Rounds due in the measured window: one frame each for every consumer. */
  expectedFrames: number;
  consumers: ConsumerResult[];
  invalidFrames: number;
  rssMiB: number[];
  fds: number[];
  rssSlopeMiBPerHour: number;
  fdSlopePerHour: number;
  receiverCpuPct: number;
  hosts: number;
  hostsOnline: number;
  /** "host status" changes logged after the warm-up (a steady fleet has none). */
  statusChanges: number;
  /** Log lines at level error, and lines that are no log line at all (a stack trace). */
  logProblems: string[];
  /**
   * Frames the receiver itself skipped for a consumer too slow to take them (its count, logged
   * when the consumer leaves); null when not every consumer's leaving was logged.
   */
  receiverDropped: number | null;
}

const TOKEN = "soak-token-0123456789abcdefghijklmnop";
const ROOT = resolve(import.meta.dir, "../..");
/** Every 10th frame is checked against the protocol's schema; the rest only counted. */
const VALIDATE_EVERY = 10;
const RECONNECT_AFTER_MS = 500;
/**
 * The RSS slope the 60-second CI soak allows. A minute is short: the node's heap fills for
 * minutes between collections (its GC timer is 5 min, commands/runtime-env.ts), so a minute's
 * fitted slope reads 230–460 MiB/h where half an hour's was −20 (docs/RELIABILITY.md). This
 * bound catches only a gross leak, such as a frame kept per consumer per round; the heap test
 * in tests/integration/soak.test.ts catches one object kept per round.
 */
export const SOAK_RSS_MIB_PER_HOUR = 1000;
const LOG_LINE = /^\d{4}-\d\d-\d\dT[\d:.]+Z (debug|info|warn|error) /;
/** Every process a soak started, so that an interrupted run ends them too. */
const children = new Set<Subprocess>();

async function stopChildren(): Promise<void> {
  for (const child of children) child.kill("SIGTERM");
  await Promise.race([Promise.all([...children].map((c) => c.exited)), Bun.sleep(3000)]);
  for (const child of children) child.kill("SIGKILL");
  children.clear();
}

/** Least-squares slope of `values` sampled at `hours`, per hour. */
export function slopePerHour(hours: readonly number[], values: readonly number[]): number {
  const n = Math.min(hours.length, values.length);
  if (n < 2) return Number.NaN;
  const mean = (xs: readonly number[]) => xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const mx = mean(hours);
  const my = mean(values);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = (hours[i] ?? 0) - mx;
    num += dx * ((values[i] ?? 0) - my);
    den += dx * dx;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Reads a child's output line by line, so its pipe never fills. */
function eachLine(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): void {
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of stream) {
      buffered += decoder.decode(chunk, { stream: true });
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        onLine(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    }
  })();
}

interface Consumer {
  ws: WebSocket | null;
  seen: number;
  lastFrameMs: number | null;
  result: ConsumerResult;
}

export async function soak(opts: SoakOptions): Promise<SoakResult> {
  const command = opts.command ?? [process.execPath, resolve(ROOT, "src/main.ts")];
  const say = opts.progress ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "hwm-soak-"));
  const consumers: Consumer[] = [];
  let running = true;
  const fleet = await startFleet({ senders: opts.senders - opts.realSenders, token: TOKEN });
  try {
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      HWM_TOKEN: TOKEN,
    };
    const real: { name: string; url: string }[] = [];
    for (let i = 1; i <= opts.realSenders; i++) {
      const port = await freePort();
      const proc = Bun.spawn(
        [
          ...command,
          "--role",
          "sender",
          "--listen",
          `127.0.0.1:${port}`,
          "--no-tui",
          "--log-level",
          "warn",
        ],
        { stdin: "ignore", stdout: "ignore", stderr: "inherit", env },
      );
      children.add(proc);
      real.push({ name: `real-${i}`, url: `http://127.0.0.1:${port}` });
    }
    for (const s of real) await waitFor200(`${s.url}/healthz`, performance.now(), 20_000);

    const port = await freePort();
    const config = join(dir, "receiver.toml");
    writeFileSync(
      config,
      fleetConfigToml([...fleet.senders, ...real.map((s) => ({ ...s, blackholed: false }))], {
        token: TOKEN,
        listen: `127.0.0.1:${port}`,
        intervalMs: opts.intervalMs,
      }),
      { mode: 0o600 },
    );
    // At debug level the receiver logs only consumers coming and going (with their dropped frames).
    const receiver = Bun.spawn(
      [...command, "--config", config, "--no-tui", "--log-level", "debug"],
      {
        stdin: "ignore",
        stdout: "ignore",
        stderr: "pipe",
        env: { PATH: env.PATH, HOME: env.HOME },
      },
    );
    children.add(receiver);
    let measuring = false;
    let statusChanges = 0;
    let left = 0;
    let receiverDropped = 0;
    const logProblems: string[] = [];
    eachLine(receiver.stderr, (line) => {
      if (line === "") return;
      const level = LOG_LINE.exec(line)?.[1];
      if (level === undefined || level === "error") {
        if (logProblems.length < 50) logProblems.push(line.slice(0, 300));
      } else if (measuring && line.includes(" host status ")) statusChanges++;
      const leaving = / consumer left .*dropped_frames=(\d+)/.exec(line);
      if (leaving) {
        left++;
        receiverDropped += Number(leaving[1]);
      }
    });
    await waitFor200(`http://127.0.0.1:${port}/healthz`, performance.now(), 20_000);

    let invalidFrames = 0;
    const open = (consumer: Consumer) => {
      const init = { headers: { authorization: `Bearer ${TOKEN}` } };
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/live`, init as unknown as string[]);
      consumer.ws = ws;
      ws.onmessage = (event) => {
        const text = String(event.data);
        if (!text.startsWith('{"type":"fleet"')) return;
        if (consumer.seen++ % VALIDATE_EVERY === 0) {
          if (!v.safeParse(FleetMessageSchema, JSON.parse(text)).success) invalidFrames++;
        }
        if (!measuring) return;
        const nowMs = Date.now();
        const r = consumer.result;
        r.frames++;
        if (consumer.lastFrameMs !== null) {
          const gapMs = nowMs - consumer.lastFrameMs;
          r.longestGapMs = Math.max(r.longestGapMs, gapMs);
          r.missed += Math.max(0, Math.round(gapMs / opts.intervalMs) - 1);
        }
        consumer.lastFrameMs = nowMs;
      };
      ws.onclose = () => {
        if (!running) return;
        if (measuring) consumer.result.reconnects++;
        setTimeout(() => {
          if (running) open(consumer);
        }, RECONNECT_AFTER_MS);
      };
    };
    for (let i = 0; i < opts.consumers; i++) {
      const consumer: Consumer = {
        ws: null,
        seen: 0,
        lastFrameMs: null,
        result: { frames: 0, missed: 0, reconnects: 0, longestGapMs: 0 },
      };
      consumers.push(consumer);
      open(consumer);
    }

    const alive = () => {
      for (const child of children) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(
            `a process of the soak exited (${child.exitCode ?? child.signalCode}): ${logProblems.join("\n")}`,
          );
      }
    };
    await Bun.sleep(opts.warmupS * 1000);
    alive();

    measuring = true;
    const t0 = performance.now();
    const cpu0 = processCpuMs(receiver.pid);
    const hours: number[] = [];
    const rssMiB: number[] = [];
    const fds: number[] = [];
    const sample = () => {
      hours.push((performance.now() - t0) / 3_600_000);
      rssMiB.push(rssBytes(receiver.pid) / 2 ** 20);
      fds.push(readdirSync(`/proc/${receiver.pid}/fd`).length);
    };
    sample();
    const endMs = t0 + opts.measureS * 1000;
    let nextSampleMs = t0 + opts.sampleEveryS * 1000;
    while (performance.now() < endMs) {
      await Bun.sleep(Math.max(1, Math.min(1000, endMs - performance.now())));
      alive();
      if (performance.now() >= nextSampleMs) {
        sample();
        nextSampleMs += opts.sampleEveryS * 1000;
        const done = ((performance.now() - t0) / 1000).toFixed(0);
        say(
          `soak: ${done} / ${opts.measureS} s, receiver RSS ${fmt(rssMiB.at(-1) ?? 0, 1)} MiB, ${fds.at(-1)} descriptors`,
        );
      }
    }
    const measuredMs = performance.now() - t0;
    measuring = false;
    if ((hours.at(-1) ?? 0) < measuredMs / 3_600_000 - 0.5 / 3600) sample();
    const receiverCpuPct = ((processCpuMs(receiver.pid) - cpu0) / measuredMs) * 100;

    const res = await fetch(`http://127.0.0.1:${port}/api/v1/hosts`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const hosts = ((await res.json()) as { hosts: { status: string }[] }).hosts;
    // The consumers leave; the receiver logs what it dropped for each.
    running = false;
    for (const c of consumers) c.ws?.close();
    const leftBy = Date.now() + 5_000;
    while (left < consumers.length && Date.now() < leftBy) await Bun.sleep(50);
    return {
      measuredS: measuredMs / 1000,
      expectedFrames: Math.floor(measuredMs / opts.intervalMs),
      consumers: consumers.map((c) => c.result),
      invalidFrames,
      rssMiB,
      fds,
      rssSlopeMiBPerHour: slopePerHour(hours, rssMiB),
      fdSlopePerHour: slopePerHour(hours, fds),
      receiverCpuPct,
      hosts: hosts.length,
      hostsOnline: hosts.filter((h) => h.status === "online").length,
      statusChanges,
      logProblems,
      receiverDropped: left >= consumers.length ? receiverDropped : null,
    };
  } finally {
    running = false;
    for (const c of consumers) c.ws?.close();
    await stopChildren();
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The result as the Markdown table docs/BENCHMARKS.md and docs/RELIABILITY.md quote. */
export function soakTable(r: SoakResult): string {
  const frames = r.consumers.map((c) => c.frames);
  const rows: [string, string][] = [
    ["measured (s)", fmt(r.measuredS, 0)],
    [
      "receiver RSS first / last / max (MiB)",
      `${fmt(r.rssMiB[0] ?? Number.NaN, 1)} / ${fmt(r.rssMiB.at(-1) ?? Number.NaN, 1)} / ${fmt(Math.max(...r.rssMiB), 1)}`,
    ],
    ["receiver RSS slope, linear fit (MiB per hour)", fmt(r.rssSlopeMiBPerHour, 2)],
    [
      "receiver descriptors first / last / max",
      `${r.fds[0]} / ${r.fds.at(-1)} / ${Math.max(...r.fds)}`,
    ],
    ["receiver descriptor slope, linear fit (per hour)", fmt(r.fdSlopePerHour, 2)],
    ["receiver CPU (% of one core)", fmt(r.receiverCpuPct, 2)],
    [
      "frames per consumer: min / max of the rounds due",
      `${Math.min(...frames)} / ${Math.max(...frames)} of ${r.expectedFrames} (min ${fmt((Math.min(...frames) / r.expectedFrames) * 100, 1)} %)`,
    ],
    [
      "frames missed (rounds without a frame, all consumers)",
      String(r.consumers.reduce((a, c) => a + c.missed, 0)),
    ],
    [
      "longest gap between frames at a consumer (ms)",
      String(Math.max(...r.consumers.map((c) => c.longestGapMs))),
    ],
    [
      "frames the receiver dropped for a slow consumer (its own count)",
      r.receiverDropped === null ? "not logged" : String(r.receiverDropped),
    ],
    ["reconnects (all consumers)", String(r.consumers.reduce((a, c) => a + c.reconnects, 0))],
    ["frames that failed the schema (1 in 10 checked)", String(r.invalidFrames)],
    ["hosts online at the end", `${r.hostsOnline} / ${r.hosts}`],
    ["host status changes after the warm-up", String(r.statusChanges)],
    ["receiver log lines at level error or not a log line", String(r.logProblems.length)],
  ];
  return [
    "| measure | value |",
    "| --- | --- |",
    ...rows.map(([k, val]) => `| ${k} | ${val} |`),
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: "string", default: "30" },
      seconds: { type: "string" },
      senders: { type: "string", default: "50" },
      "real-senders": { type: "string", default: "2" },
      consumers: { type: "string", default: "5" },
      "interval-ms": { type: "string", default: "1000" },
      "warmup-s": { type: "string", default: "15" },
      "sample-every-s": { type: "string", default: "10" },
      bin: { type: "string" },
    },
  });
  const int = (name: string, text: string | undefined, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name}: expected an integer ≥ ${min}, got ${text}`);
    return n;
  };
  const opts: SoakOptions = {
    senders: int("senders", values.senders, 1),
    realSenders: int("real-senders", values["real-senders"], 0),
    consumers: int("consumers", values.consumers, 1),
    intervalMs: int("interval-ms", values["interval-ms"], 100),
    warmupS: int("warmup-s", values["warmup-s"], 0),
    measureS: values.seconds
      ? int("seconds", values.seconds, 10)
      : int("minutes", values.minutes, 1) * 60,
    sampleEveryS: int("sample-every-s", values["sample-every-s"], 1),
    command: values.bin ? [resolve(values.bin)] : undefined,
    progress: (line) => console.error(line),
  };
  if (opts.realSenders > opts.senders) throw new Error("--real-senders: at most --senders");
  const result = await soak(opts);
  const cpu = cpus();
  console.log(`\`${`bun scripts/bench/soak.ts ${process.argv.slice(2).join(" ")}`.trim()}\``);
  console.log("");
  console.log(
    `${opts.senders} senders (${opts.realSenders} real), ${opts.consumers} consumers, interval ${opts.intervalMs} ms, ${opts.warmupS} s warm-up; receiver: \`${values.bin ?? "bun src/main.ts"}\`; ${cpu.length} × ${cpu[0]?.model ?? "?"}, bun ${Bun.version}`,
  );
  console.log("");
  console.log(soakTable(result));
  for (const line of result.logProblems) console.log(`log: ${line}`);
}

if (import.meta.main) {
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => void stopChildren().finally(() => process.exit(130)));
  await main();
}
