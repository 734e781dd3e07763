// Where a sender's CPU goes per WebSocket request, thread by thread (main, the runtime's JIT,
// GC and allocator threads), and the runtime's own floor: the same requests answered by a bare
// Bun.serve WebSocket echo with no hwm code.
// Usage: bun scripts/bench/sender-threads.ts [--ask snapshot|info|bare] [--warmup 600]
//        [--requests 150] [--gap-ms 450] [--bin dist/hwm] [--sections cpu,memory,...]
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { CpuMeter, freePort, waitFor200 } from "./lib.ts";

const { values: opts } = parseArgs({
  options: {
    ask: { type: "string", default: "snapshot" },
    warmup: { type: "string", default: "600" },
    requests: { type: "string", default: "150" },
    "gap-ms": { type: "string", default: "450" },
    bin: { type: "string" },
    sections: { type: "string", default: "cpu,memory,disks,disk_io,network,sensors,gpus" },
  },
});
const ASK = opts.ask;
const TOKEN = "bench-token-0123456789abcdefghijkl";
const ROOT = resolve(import.meta.dir, "../..");
const SECTIONS = opts.sections.split(",");

/** A WebSocket server that answers every message with a small JSON reply: Bun's own cost. */
const BARE_SERVER = `Bun.serve({ hostname: "127.0.0.1", port: Number(process.argv[1]),
  fetch: (req, srv) => (srv.upgrade(req, { data: {} }) ? undefined : new Response("ws only")),
  websocket: { message(ws, m) { const j = JSON.parse(String(m));
    ws.send(JSON.stringify({ id: j.id, type: "info", data: { v: 1 } })); } } });`;

const port = await freePort();
const hwm = opts.bin ? [resolve(opts.bin)] : [process.execPath, resolve(ROOT, "src/main.ts")];
const proc =
  ASK === "bare"
    ? Bun.spawn([process.execPath, "-e", BARE_SERVER, String(port)], { stderr: "inherit" })
    : Bun.spawn(
        [
          ...hwm,
          ...["--role", "sender", "--listen", `127.0.0.1:${port}`],
          ...["--no-tui", "--log-level", "warn"],
        ],
        { stdout: "ignore", stderr: "inherit", env: { ...process.env, HWM_TOKEN: TOKEN } },
      );
if (ASK !== "bare") await waitFor200(`http://127.0.0.1:${port}/healthz`, performance.now());
else await Bun.sleep(500);

const meter = new CpuMeter(proc.pid);

const path = ASK === "bare" ? "/" : "/api/v1/ws";
const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
  headers: { authorization: `Bearer ${TOKEN}` },
} as unknown as string[]);
await new Promise((ok, fail) => {
  ws.onopen = ok;
  ws.onerror = () => fail(new Error("WebSocket failed"));
});
let id = 1;
const message = () =>
  ASK === "snapshot"
    ? { id: id++, type: "snapshot", sections: SECTIONS }
    : { id: id++, type: "info" };
const ask = () =>
  new Promise<void>((done) => {
    ws.onmessage = () => done();
    ws.send(JSON.stringify(message()));
  });
async function round(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await Bun.sleep(Number(opts["gap-ms"]));
    await ask();
    meter.readMs(); // see every short-lived runtime thread at least once
  }
}

const requests = Number(opts.requests);
await round(Number(opts.warmup));
const before = meter.byThreadName();
await round(requests);
await Bun.sleep(5);
let total = 0;
const rows: string[] = [];
for (const [name, ms] of meter.byThreadName()) {
  const perRequest = (ms - (before.get(name) ?? 0)) / requests;
  total += perRequest;
  if (perRequest >= 0.005) rows.push(`| ${name} | ${perRequest.toFixed(3)} |`);
}
console.log(`| thread (${ASK}, ${requests} requests after ${opts.warmup}) | CPU ms per request |`);
console.log("| --- | --- |");
for (const row of rows) console.log(row);
console.log(`| whole process | ${total.toFixed(3)} |`);
ws.close();
proc.kill();
