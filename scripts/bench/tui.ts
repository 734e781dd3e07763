// Terminal dashboard benchmark (issue #5: under 2 % of one core at a 1 s refresh): the real
// `hwm tui` in a real terminal (tmux, 120x36) attached to a real node on loopback; the TUI
// process's own CPU from /proc over a window, in three views, median of several runs.
// Usage: bun scripts/bench/tui.ts [--runs 3] [--seconds 60] [--warmup-s 5] [--bin dist/hwm]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fmt, freePort, median, processCpuMs, rssBytes, waitFor200 } from "./lib.ts";

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "60" },
    "warmup-s": { type: "string", default: "5" },
    bin: { type: "string" },
  },
});
const RUNS = Number(opts.runs);
const SECONDS = Number(opts.seconds);
const WARMUP_S = Number(opts["warmup-s"]);
const TOKEN = "bench-token-0123456789abcdefghijkl";
const ROOT = resolve(import.meta.dir, "../..");
const hwm = opts.bin ? [resolve(opts.bin)] : [process.execPath, resolve(ROOT, "src/main.ts")];
const home = mkdtempSync(join(tmpdir(), "hwm-bench-tui-"));
const SOCKET = join(home, "tmux.sock");

function tmux(...args: string[]): string {
  return Bun.spawnSync(["tmux", "-S", SOCKET, ...args], { stdout: "pipe" }).stdout.toString();
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

async function startNode(role: "sender" | "both") {
  const port = await freePort();
  const proc = Bun.spawn(
    [...hwm, "--role", role, "--listen", `127.0.0.1:${port}`, "--token", TOKEN, "--no-tui"].concat([
      "--interval-ms",
      "1000",
      "--log-level",
      "warn",
    ]),
    { stdout: "ignore", stderr: "inherit", env: { ...process.env, HOME: home } },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/healthz`, performance.now());
  return { url, proc };
}

async function waitForScreen(text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (tmux("capture-pane", "-p", "-t", "bench").includes(text)) return;
    await Bun.sleep(100);
  }
  throw new Error(
    `the dashboard never showed "${text}":\n${tmux("capture-pane", "-p", "-t", "bench")}`,
  );
}

interface Sample {
  pct: number;
  rssMb: number;
}

/** One run: the dashboard attached to `url`, `keys` pressed once it shows `ready`, CPU measured. */
async function measure(url: string, ready: string, keys: string[]): Promise<Sample> {
  // exec: the pane's process is the dashboard itself, so its pid is the one to measure.
  const command = `exec env HOME=${quote(home)} ${[...hwm, "tui", url, "--token", TOKEN].map(quote).join(" ")}`;
  tmux("new-session", "-d", "-s", "bench", "-x", "120", "-y", "36", command);
  try {
    const pid = Number(tmux("display", "-p", "-t", "bench", "#{pane_pid}").trim());
    await waitForScreen(ready);
    if (keys.length) tmux("send-keys", "-t", "bench", ...keys);
    await Bun.sleep(WARMUP_S * 1000);
    const startMs = processCpuMs(pid);
    const t0 = performance.now();
    await Bun.sleep(SECONDS * 1000);
    const cpuMs = processCpuMs(pid) - startMs;
    const wallMs = performance.now() - t0;
    return { pct: (cpuMs / wallMs) * 100, rssMb: rssBytes(pid) / 1e6 };
  } finally {
    tmux("kill-session", "-t", "bench");
  }
}

async function scenario(name: string, url: string, ready: string, keys: string[]) {
  const samples: Sample[] = [];
  for (let run = 0; run < RUNS; run++) {
    const sample = await measure(url, ready, keys);
    console.error(
      `  ${name} run ${run + 1}: ${fmt(sample.pct)} % of one core, RSS ${fmt(sample.rssMb, 1)} MB`,
    );
    samples.push(sample);
  }
  return {
    name,
    pct: median(samples.map((s) => s.pct)),
    min: Math.min(...samples.map((s) => s.pct)),
    max: Math.max(...samples.map((s) => s.pct)),
    rssMb: median(samples.map((s) => s.rssMb)),
  };
}

const both = await startNode("both");
const sender = await startNode("sender");
try {
  const results = [
    await scenario("fleet view (role both, frames pushed every 1 s)", both.url, "● live", []),
    await scenario("host view with processes (role both, watched)", both.url, "● live", ["Enter"]),
    await scenario("a sender's host view (asked every 1 s, processes)", sender.url, "PID", []),
  ];
  console.log(`\nTUI CPU at a 1 s refresh, 120x36, ${SECONDS} s windows, median of ${RUNS} runs`);
  console.log("| view | % of one core (median) | min–max | RSS |");
  console.log("| --- | --- | --- | --- |");
  for (const r of results) {
    console.log(
      `| ${r.name} | ${fmt(r.pct)} % | ${fmt(r.min)}–${fmt(r.max)} % | ${fmt(r.rssMb, 0)} MB |`,
    );
  }
} finally {
  both.proc.kill();
  sender.proc.kill();
  tmux("kill-server");
}
