// Guests benchmark (budget in docs/BENCHMARKS.md): what a fast snapshot costs a Proxmox host's
// sender with 50 guests and 50 containers, against the same host without them.
// Usage: bun scripts/bench/guests.ts [--guests 50] [--containers 50] [--runs 5] [--requests 20]
//        [--warmup 300] [--gap-ms 1000] [--bin dist/hwm-linux-x64]
// Three senders run side by side on trees from hypervisor-tree.ts (this machine's /proc and
// /sys, plus the cgroups, configs and process files of the guests): a host without guests asked
// for the fast sections; the hypervisor asked for the fast sections (its taps and veths lengthen
// `network`); the hypervisor asked for them plus guests and containers. Each is asked every
// --gap-ms (1 s: a receiver's pace; guests and containers are then read every other request,
// their cache lifetime being 2 s), over one WebSocket each, their requests interleaved.
// Whole-process CPU per request, median of --runs windows of --requests, after --warmup.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildHypervisorTree } from "./hypervisor-tree.ts";
import { CpuMeter, fmt, freePort, median, waitFor200 } from "./lib.ts";

const { values: opts } = parseArgs({
  options: {
    guests: { type: "string", default: "50" },
    containers: { type: "string", default: "50" },
    runs: { type: "string", default: "5" },
    requests: { type: "string", default: "20" },
    warmup: { type: "string", default: "300" },
    "gap-ms": { type: "string", default: "1000" },
    bin: { type: "string" },
  },
});
const TOKEN = "bench-token-0123456789abcdefghijkl";
const ROOT = resolve(import.meta.dir, "../..");
const hwm = opts.bin ? [resolve(opts.bin)] : [process.execPath, resolve(ROOT, "src/main.ts")];
const FAST = ["cpu", "memory", "disks", "disk_io", "network", "sensors", "gpus"];
const GAP_MS = Number(opts["gap-ms"]);

async function startSender(tree: string, sections: string[]) {
  const port = await freePort();
  const proc = Bun.spawn(
    [
      ...hwm,
      ...["--role", "sender", "--listen", `127.0.0.1:${port}`, "--token", TOKEN, "--no-tui"],
      ...["--log-level", "warn", "--procfs", `${tree}/proc`, "--sysfs", `${tree}/sys`],
      ...["--pve-dir", `${tree}/etc/pve`],
    ],
    { stdout: "ignore", stderr: "inherit", stdin: "ignore" },
  );
  await waitFor200(`http://127.0.0.1:${port}/healthz`, performance.now());
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  } as unknown as string[]);
  await new Promise((done, fail) => {
    ws.onopen = done;
    ws.onerror = () => fail(new Error("WebSocket failed"));
  });
  let id = 1;
  let lastBytes = 0;
  const ask = () =>
    new Promise<void>((done) => {
      ws.onmessage = (event) => {
        lastBytes = String(event.data).length;
        done();
      };
      ws.send(JSON.stringify({ id: id++, type: "snapshot", sections }));
    });
  const meter = new CpuMeter(proc.pid);
  return {
    ask,
    meter,
    bytes: () => lastBytes,
    stop: async () => {
      ws.close();
      proc.kill();
      await proc.exited;
    },
  };
}

const empty = mkdtempSync(join(tmpdir(), "hwm-guests-bench-empty-"));
const full = mkdtempSync(join(tmpdir(), "hwm-guests-bench-full-"));
buildHypervisorTree(empty, 0, 0);
buildHypervisorTree(full, Number(opts.guests), Number(opts.containers));
const senders = {
  /** A host without guests, asked for the fast sections. */
  empty: await startSender(empty, FAST),
  /** The hypervisor, asked for the fast sections: its taps and veths make `network` longer. */
  fast: await startSender(full, FAST),
  /** The hypervisor, asked for the fast sections, guests and containers. */
  full: await startSender(full, [...FAST, "guests", "containers"]),
};
type Name = keyof typeof senders;
const names = Object.keys(senders) as Name[];
/** One request to each sender, GAP_MS apart for each (their requests interleaved). */
async function round(): Promise<void> {
  for (const name of names) {
    await Bun.sleep(GAP_MS / names.length);
    await senders[name].ask();
    senders[name].meter.readMs();
  }
}
try {
  for (let i = 0; i < Number(opts.warmup); i++) await round();
  const perRun: Record<Name, number[]> = { empty: [], fast: [], full: [] };
  for (let run = 0; run < Number(opts.runs); run++) {
    const before = names.map((name) => senders[name].meter.readMs());
    for (let i = 0; i < Number(opts.requests); i++) await round();
    await Bun.sleep(5);
    names.forEach((name, n) => {
      perRun[name].push((senders[name].meter.readMs() - (before[n] ?? 0)) / Number(opts.requests));
    });
  }
  const ms = (name: Name) => median(perRun[name]);
  const size = (name: Name) => `${senders[name].bytes()} B`;
  console.log(
    `host without guests, fast sections (${size("empty")}): ${fmt(ms("empty"), 3)} ms CPU`,
  );
  console.log(
    `${opts.guests} guests + ${opts.containers} containers, fast sections (${size("fast")}): ${fmt(ms("fast"), 3)} ms CPU`,
  );
  console.log(
    `${opts.guests} guests + ${opts.containers} containers, fast sections + guests + containers (${size("full")}): ${fmt(ms("full"), 3)} ms CPU`,
  );
  console.log(
    `guests + containers sections: +${fmt(ms("full") - ms("fast"), 3)} ms CPU per snapshot`,
  );
  console.log(
    `against the host without guests: +${fmt(ms("full") - ms("empty"), 3)} ms CPU per snapshot`,
  );
  for (const name of names)
    console.log(`runs (${name}): ${perRun[name].map((n) => fmt(n, 3)).join(" ")}`);
} finally {
  for (const name of names) await senders[name].stop();
  rmSync(empty, { recursive: true, force: true });
  rmSync(full, { recursive: true, force: true });
}
