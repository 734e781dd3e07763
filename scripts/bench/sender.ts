// Sender benchmark (SPEC §7): start-up to first 200, CPU per fresh snapshot with and without the
// process table, idle CPU ticks, RSS; side by side with prometheus-node-exporter when installed.
// Usage: bun scripts/bench/sender.ts [--runs 5] [--requests 40] [--idle-s 60] [--bin dist/hwm]

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { fmt, freePort, median, processCpuMs, processTicks, rssBytes, waitFor200 } from "./lib.ts";

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    requests: { type: "string", default: "40" },
    "idle-s": { type: "string", default: "60" },
    "gap-ms": { type: "string", default: "450" },
    bin: { type: "string" },
  },
});
const RUNS = Number(opts.runs);
const REQUESTS = Number(opts.requests);
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

async function startupMs(): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = spawnSender(port);
  try {
    return await waitFor200(`http://127.0.0.1:${port}/healthz`, t0);
  } finally {
    proc.kill();
    await proc.exited;
  }
}

/** Median over RUNS of the CPU ms the server process spends per `ask()`, GAP_MS apart. */
async function cpuPerAsk(pid: number, ask: () => Promise<void>): Promise<number> {
  const perRun: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let spent = 0;
    for (let i = 0; i < REQUESTS; i++) {
      await Bun.sleep(GAP_MS);
      const before = processCpuMs(pid);
      await ask();
      await Bun.sleep(5); // let the server finish writing before reading its clock
      spent += processCpuMs(pid) - before;
    }
    perRun.push(spent / REQUESTS);
  }
  return median(perRun);
}

/** One HTTP GET of `url` per sample. */
function cpuPerRequest(pid: number, url: string, headers: Record<string, string>): Promise<number> {
  return cpuPerAsk(pid, async () => {
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    await res.arrayBuffer();
  });
}

/** The same over one WebSocket, as a receiver polls: no HTTP request per sample. */
async function cpuPerWsRequest(
  pid: number,
  url: string,
  sections: string[] | undefined,
): Promise<number> {
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
  try {
    return await cpuPerAsk(pid, ask);
  } finally {
    ws.close();
  }
}

async function idleTicks(pid: number): Promise<number> {
  const before = processTicks(pid);
  await Bun.sleep(IDLE_S * 1000);
  return processTicks(pid) - before;
}

const startups: number[] = [];
for (let i = 0; i < RUNS; i++) startups.push(await startupMs());

const port = await freePort();
const sender = spawnSender(port);
const base = `http://127.0.0.1:${port}`;
await waitFor200(`${base}/healthz`, performance.now());
for (let i = 0; i < 5; i++)
  await (await fetch(`${base}/api/v1/snapshot`, { headers: auth })).arrayBuffer();

const noProc = "cpu,memory,disks,disk_io,network,sensors,gpus";
const results: [string, string][] = [];
results.push(["start to first 200 on /healthz (ms)", fmt(median(startups), 1)]);
results.push([
  "healthz request, CPU ms (HTTP floor)",
  fmt(await cpuPerRequest(sender.pid, `${base}/healthz`, {}), 3),
]);
const wsUrl = `${base.replace("http", "ws")}/api/v1/ws`;
const wsNoProcMs = await cpuPerWsRequest(sender.pid, wsUrl, noProc.split(","));
results.push(["WS snapshot without processes (the receiver's path), CPU ms", fmt(wsNoProcMs, 3)]);
const wsAllMs = await cpuPerWsRequest(sender.pid, wsUrl, undefined);
results.push(["WS snapshot with top-50 processes, CPU ms", fmt(wsAllMs, 3)]);
const httpNoProcMs = await cpuPerRequest(
  sender.pid,
  `${base}/api/v1/snapshot?sections=${noProc}`,
  auth,
);
results.push(["HTTP GET snapshot without processes, CPU ms", fmt(httpNoProcMs, 3)]);
const httpAllMs = await cpuPerRequest(sender.pid, `${base}/api/v1/snapshot`, auth);
results.push(["HTTP GET snapshot with top-50 processes, CPU ms", fmt(httpAllMs, 3)]);
const hwmMetricsMs = await cpuPerRequest(sender.pid, `${base}/metrics`, auth);
results.push(["/metrics scrape (all sections), CPU ms", fmt(hwmMetricsMs, 3)]);

let nodeExporter: ReturnType<typeof Bun.spawn> | null = null;
let neMetricsMs = Number.NaN;
const neBin = Bun.which("prometheus-node-exporter") ?? Bun.which("node_exporter");
if (neBin) {
  const nePort = await freePort();
  nodeExporter = Bun.spawn(
    [neBin, `--web.listen-address=127.0.0.1:${nePort}`, "--log.level=warn"],
    { stdout: "ignore", stderr: "ignore" },
  );
  const neUrl = `http://127.0.0.1:${nePort}/metrics`;
  await waitFor200(neUrl, performance.now());
  neMetricsMs = await cpuPerRequest(nodeExporter.pid, neUrl, {});
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
  `| measure (median of ${RUNS} runs × ${REQUESTS} requests, ${GAP_MS} ms apart) | value |`,
);
console.log("| --- | --- |");
for (const [name, value] of results) console.log(`| ${name} | ${value} |`);
