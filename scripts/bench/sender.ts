// Sender benchmark (budgets in docs/BENCHMARKS.md): start-up to first 200, CPU per fresh snapshot with and without the
// process table, idle CPU ticks, RSS; side by side with prometheus-node-exporter when installed.
// Usage: bun scripts/bench/sender.ts [--runs 5] [--requests 40] [--warmup 600] [--idle-s 60]
//        [--bin dist/hwm]
// CPU is whole-process (every thread: the runtime's JIT, GC and allocator threads too) over
// windows of --requests requests, --gap-ms apart as a receiver polls, after --warmup requests
// (a sender that has been polled for minutes: the JIT has compiled the hot path, which takes a
// few hundred requests at this pace); medians of --runs windows. The first window after start,
// and the window after the first 100 requests, are reported on their own.

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { CpuMeter, fmt, freePort, median, processTicks, rssBytes, waitFor200 } from "./lib.ts";

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    requests: { type: "string", default: "40" },
    warmup: { type: "string", default: "600" },
    "idle-s": { type: "string", default: "60" },
    "gap-ms": { type: "string", default: "450" },
    bin: { type: "string" },
  },
});
const RUNS = Number(opts.runs);
const REQUESTS = Number(opts.requests);
const WARMUP = Number(opts.warmup);
const IDLE_S = Number(opts["idle-s"]);
/** Longer than the cheap sections' cache TTL, so every request samples afresh. */
const GAP_MS = Number(opts["gap-ms"]);
const TOKEN = "bench-token-0123456789abcdefghijkl";
const ROOT = resolve(import.meta.dir, "../..");
const hwm = opts.bin ? [resolve(opts.bin)] : [process.execPath, resolve(ROOT, "src/main.ts")];
const auth = { authorization: `Bearer ${TOKEN}` };

function spawnSender(port: number) {
  return Bun.spawn(
    [
      ...hwm,
      "--role",
      "sender",
      "--listen",
      `127.0.0.1:${port}`,
      "--token",
      TOKEN,
      "--no-tui",
      "--log-level",
      "warn",
    ],
    {
      stdout: "ignore",
      stderr: "inherit",
      stdin: "ignore",
    },
  );
}

function spawnNodeExporter(bin: string, port: number) {
  return Bun.spawn([bin, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], {
    stdout: "ignore",
    stderr: "ignore",
  });
}

/** Median ms from spawn to the first 200 on `path` (hwm's /healthz, node_exporter's landing page). */
async function startupMs(spawn: (port: number) => Bun.Subprocess, path: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort();
    const t0 = performance.now();
    const proc = spawn(port);
    try {
      runs.push(await waitFor200(`http://127.0.0.1:${port}${path}`, t0));
    } finally {
      proc.kill();
      await proc.exited;
    }
  }
  return median(runs);
}

/** Whole-process CPU ms per ask() over `count` asks GAP_MS apart. */
async function cpuOver(meter: CpuMeter, ask: () => Promise<void>, count: number): Promise<number> {
  const before = meter.readMs();
  for (let i = 0; i < count; i++) {
    await Bun.sleep(GAP_MS);
    await ask();
    meter.readMs(); // see every short-lived runtime thread at least once
  }
  await Bun.sleep(5); // let the server finish writing before the last reading
  return (meter.readMs() - before) / count;
}

/** Median over `runs` windows of REQUESTS asks, after `warmup` asks that are not counted. */
async function cpuPerAsk(
  meter: CpuMeter,
  ask: () => Promise<void>,
  warmup = WARMUP,
  runs = RUNS,
): Promise<number> {
  for (let i = 0; i < warmup; i++) {
    await Bun.sleep(GAP_MS);
    await ask();
  }
  const perRun: number[] = [];
  for (let run = 0; run < runs; run++) perRun.push(await cpuOver(meter, ask, REQUESTS));
  return median(perRun);
}

/** One HTTP GET of `url` per ask. */
function httpGet(url: string, headers: Record<string, string>): () => Promise<void> {
  return async () => {
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    await res.arrayBuffer();
  };
}

/** Snapshot requests over one WebSocket, as a receiver polls: no HTTP request per sample. */
async function openWs(url: string, sections: string[] | undefined) {
  const ws = new WebSocket(url, { headers: auth } as unknown as string[]);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`${url}: WebSocket failed`));
  });
  let nextId = 1;
  const ask = () =>
    new Promise<void>((resolve) => {
      ws.onmessage = () => resolve();
      ws.send(JSON.stringify({ id: nextId++, type: "snapshot", sections }));
    });
  return { ask, close: () => ws.close() };
}

async function idleTicks(pid: number): Promise<number> {
  const before = processTicks(pid);
  await Bun.sleep(IDLE_S * 1000);
  return processTicks(pid) - before;
}

const neBin = Bun.which("prometheus-node-exporter") ?? Bun.which("node_exporter");
const startup = await startupMs(spawnSender, "/healthz");
const neStartup = neBin ? await startupMs((port) => spawnNodeExporter(neBin, port), "/") : null;

const port = await freePort();
const sender = spawnSender(port);
const meter = new CpuMeter(sender.pid);
const base = `http://127.0.0.1:${port}`;
await waitFor200(`${base}/healthz`, performance.now());

const noProc = "cpu,memory,disks,disk_io,network,sensors,gpus";
const results: [string, string][] = [];
results.push(["start to first 200 on /healthz (ms)", fmt(startup, 1)]);
if (neStartup !== null)
  results.push(["node_exporter start to first 200 on / (ms)", fmt(neStartup, 1)]);

// The receiver's path first, on a fresh process: its first window is the cold figure.
const wsUrl = `${base.replace("http", "ws")}/api/v1/ws`;
const wsNoProc = await openWs(wsUrl, noProc.split(","));
const coldMs = await cpuOver(meter, wsNoProc.ask, REQUESTS);
const early = Math.min(100, WARMUP);
const earlyMs = await cpuPerAsk(meter, wsNoProc.ask, early - REQUESTS, 1);
const wsNoProcMs = await cpuPerAsk(meter, wsNoProc.ask, WARMUP - early - REQUESTS);
wsNoProc.close();
results.push([
  `WS snapshot without processes, first ${REQUESTS} requests after start, CPU ms`,
  fmt(coldMs, 3),
]);
results.push([
  `WS snapshot without processes, ${REQUESTS} requests after the first ${early}, CPU ms`,
  fmt(earlyMs, 3),
]);
results.push(["WS snapshot without processes (the receiver's path), CPU ms", fmt(wsNoProcMs, 3)]);
// The process table shares the rest of the path, compiled by now: a shorter warm-up.
const wsAll = await openWs(wsUrl, undefined);
const wsAllMs = await cpuPerAsk(meter, wsAll.ask, Math.min(WARMUP, 100));
wsAll.close();
results.push(["WS snapshot with top-50 processes, CPU ms", fmt(wsAllMs, 3)]);

// Secondary measures: a shorter warm-up (most of their code is warm by now).
const shortWarmup = Math.min(WARMUP, 30);
const healthzMs = await cpuPerAsk(meter, httpGet(`${base}/healthz`, {}), shortWarmup);
results.push(["healthz request, CPU ms (HTTP floor)", fmt(healthzMs, 3)]);
const httpNoProcMs = await cpuPerAsk(
  meter,
  httpGet(`${base}/api/v1/snapshot?sections=${noProc}`, auth),
  shortWarmup,
);
results.push(["HTTP GET snapshot without processes, CPU ms", fmt(httpNoProcMs, 3)]);
const hwmMetricsMs = await cpuPerAsk(meter, httpGet(`${base}/metrics`, auth), shortWarmup);
results.push(["/metrics scrape (all sections), CPU ms", fmt(hwmMetricsMs, 3)]);

let nodeExporter: ReturnType<typeof Bun.spawn> | null = null;
let neMetricsMs = Number.NaN;
if (neBin) {
  const nePort = await freePort();
  nodeExporter = spawnNodeExporter(neBin, nePort);
  const neUrl = `http://127.0.0.1:${nePort}/metrics`;
  await waitFor200(neUrl, performance.now());
  neMetricsMs = await cpuPerAsk(new CpuMeter(nodeExporter.pid), httpGet(neUrl, {}), 5);
  results.push(["node_exporter /metrics scrape, CPU ms", fmt(neMetricsMs, 3)]);
  results.push(["ratio node_exporter / hwm per scrape", fmt(neMetricsMs / hwmMetricsMs, 1)]);
}

const [hwmIdle, neIdle] = await Promise.all([
  idleTicks(sender.pid),
  nodeExporter ? idleTicks(nodeExporter.pid) : Promise.resolve(Number.NaN),
]);
results.push([`idle CPU ticks over ${IDLE_S} s (hwm sender)`, String(hwmIdle)]);
if (nodeExporter) results.push([`idle CPU ticks over ${IDLE_S} s (node_exporter)`, String(neIdle)]);
results.push(["sender RSS after the run (MB)", fmt(rssBytes(sender.pid) / 1e6, 1)]);
if (nodeExporter)
  results.push(["node_exporter RSS (MB)", fmt(rssBytes(nodeExporter.pid) / 1e6, 1)]);

sender.kill();
nodeExporter?.kill();

console.log(
  `| measure (whole-process CPU; median of ${RUNS} windows × ${REQUESTS} requests, ${GAP_MS} ms apart, after ${WARMUP} requests) | value |`,
);
console.log("| --- | --- |");
for (const [name, value] of results) console.log(`| ${name} | ${value} |`);
