// Health and custom benchmark (figures in docs/BENCHMARKS.md): that health costs nothing until
// asked, and what a snapshot asking for health (served from the last reading) or custom (a
// textfile directory of --files files × --series series) adds to the fast sections.
// Usage: bun scripts/bench/health-custom.ts [--idle-s 60] [--files 10] [--series 100]
//        [--runs 5] [--requests 20] [--warmup 120] [--gap-ms 1000] [--bin dist/hwm-linux-x64]
// smartctl, zpool and systemctl are scripts on the senders' PATH (health-tools.ts) that print
// the outputs of tests/fixtures/health/ and write a line to a log each time they run.
// 1. Never asked: one sender with health on and the tools there, for --idle-s with no request,
//    then --idle-s asked for the fast sections every --gap-ms (never health): the tools it ran,
//    the child processes seen (its /proc children, looked at every 10 ms), its CPU ticks.
// 2. Asked: three senders, asked for the fast sections; the fast sections and health; the fast
//    sections and custom; every --gap-ms each, interleaved. Whole-process CPU per request after
//    --warmup, per window of --requests; each section's cost is its sender minus the first, in
//    the same window: median and range of --runs windows.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeHealthTools } from "./health-tools.ts";
import { fmt, median, processTicks } from "./lib.ts";
import {
  type BenchSender,
  FAST_SECTIONS,
  hwmCommand,
  SENDER_BENCH_OPTIONS,
  startWsSender,
} from "./ws-sender.ts";

const { values: opts } = parseArgs({
  options: {
    "idle-s": { type: "string", default: "60" },
    files: { type: "string", default: "10" },
    series: { type: "string", default: "100" },
    warmup: { type: "string", default: "120" },
    ...SENDER_BENCH_OPTIONS,
  },
});
const hwm = hwmCommand(opts.bin);
const FAST = FAST_SECTIONS;
const GAP_MS = Number(opts["gap-ms"]);

const dir = mkdtempSync(join(tmpdir(), "hwm-health-bench-"));
const bin = join(dir, "bin");
const calls = join(dir, "tool-calls.log");
const textfiles = join(dir, "textfiles");

/** --files files of --series gauges each, as node_exporter's textfile collector reads them. */
function writeTextfiles(): void {
  mkdirSync(textfiles);
  for (let f = 0; f < Number(opts.files); f++) {
    const name = `job_${f}_value`;
    const lines = [`# HELP ${name} A value of job ${f}.`, `# TYPE ${name} gauge`];
    for (let s = 0; s < Number(opts.series); s++) {
      lines.push(`${name}{instance="i${s}",kind="k${s % 7}"} ${(s * 1.5).toFixed(1)}`);
    }
    writeFileSync(join(textfiles, `job${f}.prom`), `${lines.join("\n")}\n`);
  }
}

const toolCalls = () => readFileSync(calls, "utf8").split("\n").filter(Boolean).length;

async function startSender(): Promise<BenchSender> {
  const config = join(dir, "sender.toml");
  writeFileSync(config, `[custom]\ntextfile_dir = "${textfiles}"\n`);
  return startWsSender(hwm, ["--config", config], { PATH: bin });
}

/** Every child process of pid seen while `during` runs, looked at every 10 ms. */
async function childrenDuring(pid: number, during: Promise<void>): Promise<Set<string>> {
  const seen = new Set<string>();
  let done = false;
  during.finally(() => {
    done = true;
  });
  while (!done) {
    try {
      for (const task of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ")) {
        if (task.trim()) seen.add(task.trim());
      }
    } catch {
      // Kernels without CONFIG_PROC_CHILDREN: the tool log still counts the runs.
    }
    await Bun.sleep(10);
  }
  return seen;
}

/** Part 1: a sender never asked for health, idle and then asked for the fast sections. */
async function neverAsked(): Promise<void> {
  const sender = await startSender();
  try {
    const idleMs = Number(opts["idle-s"]) * 1000;
    for (const phase of ["no request", `the fast sections every ${GAP_MS} ms`]) {
      const ticks = processTicks(sender.pid);
      const callsBefore = toolCalls();
      const work = (async () => {
        const end = performance.now() + idleMs;
        while (performance.now() < end) {
          await Bun.sleep(Math.min(GAP_MS, end - performance.now()));
          if (phase !== "no request" && performance.now() < end) await sender.ask(FAST);
        }
      })();
      const children = await childrenDuring(sender.pid, work);
      console.log(
        `never asked for health, ${opts["idle-s"]} s of ${phase}: ${toolCalls() - callsBefore} tool runs, ${children.size} child processes, ${processTicks(sender.pid) - ticks} CPU ticks`,
      );
    }
  } finally {
    await sender.stop();
  }
}

/** Part 2: what health (from the last reading) and custom add to a snapshot of the fast sections. */
async function asked(): Promise<void> {
  const senders = {
    fast: { sender: await startSender(), sections: FAST },
    health: { sender: await startSender(), sections: [...FAST, "health"] },
    custom: { sender: await startSender(), sections: [...FAST, "custom"] },
  };
  type Name = keyof typeof senders;
  const names = Object.keys(senders) as Name[];
  const round = async () => {
    for (const name of names) {
      await Bun.sleep(GAP_MS / names.length);
      await senders[name].sender.ask(senders[name].sections);
      senders[name].sender.meter.readMs();
    }
  };
  try {
    for (let i = 0; i < Number(opts.warmup); i++) await round();
    const health = JSON.parse(senders.health.sender.last()).data?.health;
    if (!health) throw new Error("the health reading did not come within the warm-up");
    const custom = JSON.parse(senders.custom.sender.last()).data?.custom;
    const samples = custom?.files?.reduce((n: number, f: { samples: number }) => n + f.samples, 0);
    const windows: Record<Name, number>[] = [];
    const requests = Number(opts.requests);
    for (let run = 0; run < Number(opts.runs); run++) {
      const before = names.map((name) => senders[name].sender.meter.readMs());
      for (let i = 0; i < requests; i++) await round();
      await Bun.sleep(5);
      const w = { fast: 0, health: 0, custom: 0 };
      names.forEach((name, n) => {
        w[name] = (senders[name].sender.meter.readMs() - (before[n] ?? 0)) / requests;
      });
      windows.push(w);
    }
    const range = (values: number[]) =>
      `${fmt(median(values), 3)} ms (windows ${fmt(Math.min(...values), 3)} to ${fmt(Math.max(...values), 3)})`;
    const size = (name: Name) => `${senders[name].sender.last().length} B`;
    console.log(`CPU per request after ${opts.warmup} requests, median of ${opts.runs} windows:`);
    console.log(`  fast sections (${size("fast")}): ${range(windows.map((w) => w.fast))}`);
    console.log(
      `  + health, from the last reading (${size("health")}): +${range(windows.map((w) => w.health - w.fast))}`,
    );
    console.log(
      `  + custom, ${custom?.files?.length} files, ${samples} samples (${size("custom")}): +${range(windows.map((w) => w.custom - w.fast))}`,
    );
    console.log(`  tool runs in all: ${toolCalls()}`);
  } finally {
    for (const name of names) await senders[name].sender.stop();
  }
}

try {
  writeHealthTools(bin, calls);
  writeTextfiles();
  await neverAsked();
  await asked();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
