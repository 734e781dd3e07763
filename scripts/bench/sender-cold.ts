// The sender in the cold regime: polled every 10 s from its start, as the history recorder
// polls it when nobody watches, side by side with prometheus-node-exporter scraped at the same
// pace. At this pace the JIT stays in its early tiers for a long time, so the figure that counts
// is the average over the first hour, reported per window beside the warm end.
// A window with far fewer requests than minutes × 60 / gap means the machine stalled (the VM
// was paused): its CPU per request says nothing about hwm.
// Usage: bun scripts/bench/sender-cold.ts --bin dist/hwm-linux-x64 [--minutes 60] [--gap-s 10]
//        [--window-min 5] [--variant "name:VAR=value VAR2=value" ...] [--no-peers]
// Three processes, each asked once per gap: an hwm sender over its WebSocket (the recorder's
// path: the protocol's FLEET_SECTIONS, what a receiver asks every round), an hwm sender scraped on /metrics
// (Prometheus scraping hwm directly), and node_exporter scraped on /metrics. Each --variant adds
// one more WS-polled sender started with extra environment (runtime settings to compare).
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { FLEET_SECTIONS } from "../../src/protocol/index.ts";
import { CpuMeter, fmt, freePort, rssBytes, waitFor200 } from "./lib.ts";

const { values: opts } = parseArgs({
  options: {
    bin: { type: "string" },
    minutes: { type: "string", default: "60" },
    "gap-s": { type: "string", default: "10" },
    "window-min": { type: "string", default: "5" },
    variant: { type: "string", multiple: true, default: [] },
    "no-peers": { type: "boolean", default: false },
  },
});
const MINUTES = Number(opts.minutes);
const GAP_MS = Number(opts["gap-s"]) * 1000;
const WINDOW_MS = Number(opts["window-min"]) * 60_000;
const TOKEN = "bench-token-0123456789abcdefghijkl";
const ROOT = resolve(import.meta.dir, "../..");
const hwm = opts.bin ? [resolve(opts.bin)] : [process.execPath, resolve(ROOT, "src/main.ts")];
const auth = { authorization: `Bearer ${TOKEN}` };

function spawnSender(port: number, env: Record<string, string> = {}) {
  return Bun.spawn(
    [
      ...hwm,
      ...["--role", "sender", "--listen", `127.0.0.1:${port}`],
      ...["--no-tui", "--log-level", "warn"],
    ],
    {
      stdout: "ignore",
      stderr: "inherit",
      stdin: "ignore",
      env: { ...process.env, HWM_TOKEN: TOKEN, ...env },
    },
  );
}

async function openWs(url: string) {
  const ws = new WebSocket(url, { headers: auth } as unknown as string[]);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`${url}: WebSocket failed`));
  });
  let nextId = 1;
  return () =>
    new Promise<void>((resolve) => {
      ws.onmessage = () => resolve();
      ws.send(JSON.stringify({ id: nextId++, type: "snapshot", sections: FLEET_SECTIONS }));
    });
}

function httpGet(url: string, headers: Record<string, string> = {}) {
  return async () => {
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    await res.arrayBuffer();
  };
}

interface Subject {
  name: string;
  meter: CpuMeter;
  pid: number;
  ask: () => Promise<void>;
  /** CPU ms at the start of the current window (0: the process's start). */
  windowStartMs: number;
  windowAsks: number;
  asks: number;
  windows: number[];
}

const subjects: Subject[] = [];
const procs: Bun.Subprocess[] = [];

async function addSubject(
  name: string,
  proc: Bun.Subprocess,
  ready: string,
  connect: () => Promise<() => Promise<void>>,
) {
  procs.push(proc);
  await waitFor200(ready, performance.now());
  const ask = await connect();
  const meter = new CpuMeter(proc.pid);
  // Counted from the process's start: start-up and the first answers are part of the first hour.
  subjects.push({
    name,
    meter,
    pid: proc.pid,
    ask,
    windowStartMs: 0,
    windowAsks: 0,
    asks: 0,
    windows: [],
  });
}

const wsPort = await freePort();
const wsSender = spawnSender(wsPort);
await addSubject(
  "hwm sender, WS snapshot (recorder's path)",
  wsSender,
  `http://127.0.0.1:${wsPort}/healthz`,
  () => openWs(`ws://127.0.0.1:${wsPort}/api/v1/ws`),
);
for (const variant of opts.variant ?? []) {
  const [name = variant, settings = ""] = variant.split(/:(.*)/s);
  const env = Object.fromEntries(
    settings
      .split(/\s+/)
      .filter((kv) => kv.includes("="))
      .map((kv) => kv.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  const port = await freePort();
  await addSubject(
    `hwm sender, WS snapshot, ${name}`,
    spawnSender(port, env),
    `http://127.0.0.1:${port}/healthz`,
    () => openWs(`ws://127.0.0.1:${port}/api/v1/ws`),
  );
}
if (!opts["no-peers"]) {
  const metricsPort = await freePort();
  await addSubject(
    "hwm sender, /metrics scrape",
    spawnSender(metricsPort),
    `http://127.0.0.1:${metricsPort}/healthz`,
    async () => httpGet(`http://127.0.0.1:${metricsPort}/metrics`, auth),
  );
  const neBin = Bun.which("prometheus-node-exporter") ?? Bun.which("node_exporter");
  if (neBin) {
    const nePort = await freePort();
    await addSubject(
      "node_exporter, /metrics scrape",
      Bun.spawn([neBin, `--web.listen-address=127.0.0.1:${nePort}`, "--log.level=warn"], {
        stdout: "ignore",
        stderr: "ignore",
      }),
      `http://127.0.0.1:${nePort}/`,
      async () => httpGet(`http://127.0.0.1:${nePort}/metrics`),
    );
  }
}

const startMs = Date.now();
let windowEndMs = startMs + WINDOW_MS;
console.log(`| minutes | ${subjects.map((s) => `${s.name}: CPU ms per request`).join(" | ")} |`);
console.log(`| --- | ${subjects.map(() => "---").join(" | ")} |`);
while (Date.now() - startMs < MINUTES * 60_000) {
  for (const s of subjects) {
    await s.ask();
    s.asks++;
    s.windowAsks++;
    s.meter.readMs();
  }
  await Bun.sleep(Math.max(0, GAP_MS - 50));
  if (Date.now() >= windowEndMs) {
    const asks = subjects[0]?.windowAsks ?? 0;
    const cells = subjects.map((s) => {
      const nowMs = s.meter.readMs();
      const perAsk = (nowMs - s.windowStartMs) / s.windowAsks;
      s.windows.push(perAsk);
      s.windowStartMs = nowMs;
      s.windowAsks = 0;
      return fmt(perAsk, 2);
    });
    const row = `| ${fmt((Date.now() - startMs) / 60_000, 1)} (${asks} requests) | ${cells.join(" | ")} |`;
    console.log(row);
    windowEndMs += WINDOW_MS;
  }
}
console.log(
  `| whole run (${MINUTES} min, ${subjects[0]?.asks ?? 0} requests each, start-up included) | ${subjects
    .map((s) => fmt(s.meter.readMs() / s.asks, 2))
    .join(" | ")} |`,
);
const ne = subjects.find((s) => s.name.startsWith("node_exporter"));
if (ne) {
  const neAvg = ne.meter.readMs() / ne.asks;
  for (const s of subjects) {
    if (s === ne) continue;
    console.log(
      `ratio ${s.name} / node_exporter over the run: ${fmt(s.meter.readMs() / s.asks / neAvg, 2)}`,
    );
  }
}
// Where the CPU went, per thread name (the runtime's JIT, GC and allocator threads beside main).
for (const s of subjects) {
  const byThread = [...s.meter.byThreadName()].sort((a, b) => b[1] - a[1]);
  const parts = byThread.map(([name, ms]) => `${name} ${fmt(ms / s.asks, 2)}`).join(", ");
  console.log(
    `${s.name}, CPU ms per request by thread: ${parts}; RSS at the end ${fmt(rssBytes(s.pid) / 1e6, 1)} MB`,
  );
}
for (const proc of procs) proc.kill();
