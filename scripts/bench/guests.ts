// Guests benchmark (budget in docs/BENCHMARKS.md): what a fast snapshot costs a Proxmox host's
// sender with 50 guests and 50 containers, against the same host without them.
// Usage: bun scripts/bench/guests.ts [--guests 50] [--containers 50] [--runs 5] [--requests 20]
//        [--warmup 300] [--gap-ms 1000] [--bin dist/hwm-linux-x64]
// Three senders run side by side on trees from hypervisor-tree.ts (this machine's /proc and
// /sys, plus the cgroups, configs and process files of the guests): a host without guests asked
// for the fast sections; the hypervisor asked for the fast sections (its taps and veths lengthen
// `network`); the hypervisor asked for them plus guests and containers. Each is asked every
// --gap-ms (1 s: a receiver's pace; guests and containers are then read every third request,
// their cache lifetime being 3 s), over one WebSocket each, their requests interleaved.
// Whole-process CPU per request: the first --requests after start (cold: the JIT has not
// compiled the hot paths yet), then, after --warmup, --runs windows of --requests (warm). The
// cost of the two sections is taken per window (full − fast of the same window, whose requests
// were interleaved, so that other load on the machine weighs on both alike): median and range.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildHypervisorTree } from "./hypervisor-tree.ts";
import { fmt, median } from "./lib.ts";
import { FAST_SECTIONS, hwmCommand, SENDER_BENCH_OPTIONS, startWsSender } from "./ws-sender.ts";

const { values: opts } = parseArgs({
  options: {
    guests: { type: "string", default: "50" },
    containers: { type: "string", default: "50" },
    warmup: { type: "string", default: "300" },
    ...SENDER_BENCH_OPTIONS,
  },
});
const hwm = hwmCommand(opts.bin);
const FAST = FAST_SECTIONS;
const GAP_MS = Number(opts["gap-ms"]);

/** A sender on one tree, always asked for the same sections. */
async function startSender(tree: string, sections: string[]) {
  const sender = await startWsSender(hwm, [
    ...["--procfs", `${tree}/proc`, "--sysfs", `${tree}/sys`, "--pve-dir", `${tree}/etc/pve`],
  ]);
  let lastBytes = 0;
  return {
    meter: sender.meter,
    ask: async () => {
      lastBytes = await sender.ask(sections);
    },
    bytes: () => lastBytes,
    stop: sender.stop,
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
/** CPU ms per request of each sender over `requests` rounds. */
async function window(requests: number): Promise<Record<Name, number>> {
  const before = names.map((name) => senders[name].meter.readMs());
  for (let i = 0; i < requests; i++) await round();
  await Bun.sleep(5);
  const out = { empty: 0, fast: 0, full: 0 };
  names.forEach((name, n) => {
    out[name] = (senders[name].meter.readMs() - (before[n] ?? 0)) / requests;
  });
  return out;
}
const range = (values: number[]) =>
  `${fmt(median(values), 3)} ms (windows ${fmt(Math.min(...values), 3)} to ${fmt(Math.max(...values), 3)})`;
try {
  const requests = Number(opts.requests);
  const cold = await window(requests);
  for (let i = 0; i < Number(opts.warmup); i++) await round();
  const windows: Record<Name, number>[] = [];
  for (let run = 0; run < Number(opts.runs); run++) windows.push(await window(requests));
  const of = (name: Name) => windows.map((w) => w[name]);
  const size = (name: Name) => `${senders[name].bytes()} B`;
  const host = `${opts.guests} guests + ${opts.containers} containers`;
  console.log(`cold (the first ${requests} requests), CPU per request:`);
  console.log(`  host without guests, fast sections: ${fmt(cold.empty, 3)} ms`);
  console.log(`  ${host}, fast sections: ${fmt(cold.fast, 3)} ms`);
  console.log(`  ${host}, fast sections + guests + containers: ${fmt(cold.full, 3)} ms`);
  console.log(`  guests + containers sections: +${fmt(cold.full - cold.fast, 3)} ms`);
  console.log(
    `warm (after ${opts.warmup} requests), CPU per request, median of ${opts.runs} windows:`,
  );
  console.log(`  host without guests, fast sections (${size("empty")}): ${range(of("empty"))}`);
  console.log(`  ${host}, fast sections (${size("fast")}): ${range(of("fast"))}`);
  console.log(
    `  ${host}, fast sections + guests + containers (${size("full")}): ${range(of("full"))}`,
  );
  console.log(`  guests + containers sections: +${range(windows.map((w) => w.full - w.fast))}`);
  console.log(`  against the host without guests: +${range(windows.map((w) => w.full - w.empty))}`);
} finally {
  for (const name of names) await senders[name].stop();
  rmSync(empty, { recursive: true, force: true });
  rmSync(full, { recursive: true, force: true });
}
