// Web dashboard benchmark (budget: 100 hosts updating at 1 Hz without long tasks over 50 ms in
// Chromium, as cards and as a table): a fake fleet, the real receiver, the real page in headless
// Chromium; long tasks from a PerformanceObserver, main-thread time from the DevTools protocol,
// JS+CSS bytes transferred.
// Usage: bun scripts/bench/dashboard.ts [--hosts 100] [--seconds 60] [--detail-seconds 20]
//          [--interval-ms 1000] [--chromium /usr/bin/chromium]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Subprocess } from "bun";
import { type Browser, chromium, type Page } from "playwright-core";
import { fleetConfigToml, startFleet } from "./fleet-harness.ts";
import { CHROMIUM_ARGS } from "./lib.ts";

const { values: opts } = parseArgs({
  options: {
    hosts: { type: "string", default: "100" },
    seconds: { type: "string", default: "60" },
    "detail-seconds": { type: "string", default: "20" },
    "interval-ms": { type: "string", default: "1000" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
  },
});
const HOSTS = Number(opts.hosts);
const SECONDS = Number(opts.seconds);
const DETAIL_SECONDS = Number(opts["detail-seconds"]);
const INTERVAL_MS = Number(opts["interval-ms"]);
const TOKEN = "bench-token-0123456789abcdefghijkl";
const ROOT = resolve(import.meta.dir, "../..");
const LONG_TASK_MS = 50;

/** Runs in the page before its own scripts: long tasks and live messages are counted from the start. */
const PROBE = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: "longtask", buffered: true });
  window.__messages = 0;
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { window.__messages++; });
    }
  };
`;

interface Window {
  longTasks: { start: number; ms: number }[];
  messages: number;
  scriptMs: number;
  taskMs: number;
  layoutMs: number;
  styleMs: number;
  heapBytes: number;
}

async function startReceiver(config: string): Promise<{ proc: Subprocess; url: string }> {
  const proc = Bun.spawn(
    [process.execPath, resolve(ROOT, "src/main.ts"), "--config", config, "--no-tui"],
    {
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    },
  );
  let log = "";
  void (async () => {
    for await (const chunk of proc.stderr) log += new TextDecoder().decode(chunk);
  })();
  for (let i = 0; i < 400; i++) {
    const url = /listening url=(\S+)/.exec(log)?.[1];
    if (url) return { proc, url };
    if (proc.exitCode !== null) break;
    await Bun.sleep(25);
  }
  proc.kill("SIGKILL");
  throw new Error(`the receiver did not start:\n${log}`);
}

async function measure(page: Page, seconds: number): Promise<Window> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const metrics = async () => {
    const { metrics: list } = (await cdp.send("Performance.getMetrics")) as {
      metrics: { name: string; value: number }[];
    };
    return new Map(list.map((m) => [m.name, m.value]));
  };
  const before = await metrics();
  const startMs = await page.evaluate(() => performance.now());
  const messagesBefore = await page.evaluate(
    () => (window as unknown as { __messages: number }).__messages,
  );
  await page.waitForTimeout(seconds * 1000);
  const after = await metrics();
  const { tasks, messages } = await page.evaluate((from) => {
    const w = window as unknown as {
      __longTasks: { start: number; ms: number }[];
      __messages: number;
    };
    return { tasks: w.__longTasks.filter((t) => t.start >= from), messages: w.__messages };
  }, startMs);
  const delta = (name: string) => ((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000;
  await cdp.detach();
  return {
    longTasks: tasks,
    messages: messages - messagesBefore,
    scriptMs: delta("ScriptDuration"),
    taskMs: delta("TaskDuration"),
    layoutMs: delta("LayoutDuration"),
    styleMs: delta("RecalcStyleDuration"),
    heapBytes: after.get("JSHeapUsedSize") ?? 0,
  };
}

function row(name: string, w: Window, seconds: number): string {
  const worst = Math.max(0, ...w.longTasks.map((t) => t.ms));
  const pct = (ms: number) => `${((ms / (seconds * 1000)) * 100).toFixed(1)} %`;
  return `| ${name} | ${seconds} s | ${w.messages} | ${w.longTasks.length} | ${worst ? `${worst.toFixed(0)} ms` : "—"} | ${pct(w.taskMs)} | ${pct(w.scriptMs)} | ${pct(w.layoutMs + w.styleMs)} | ${(w.heapBytes / 1024 ** 2).toFixed(1)} MiB |`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "hwm-bench-dashboard-"));
  const fleet = await startFleet({ senders: HOSTS, token: TOKEN });
  const config = join(dir, "receiver.toml");
  writeFileSync(
    config,
    fleetConfigToml(fleet.senders, {
      token: TOKEN,
      listen: "127.0.0.1:0",
      intervalMs: INTERVAL_MS,
    }),
  );
  let receiver: Subprocess | null = null;
  let browser: Browser | null = null;
  try {
    const started = await startReceiver(config);
    receiver = started.proc;
    browser = await chromium.launch({
      executablePath: opts.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.addInitScript(PROBE);
    await page.goto(started.url);
    await page.locator("#token").fill(TOKEN);
    await page.locator("button[type=submit]").click();
    await page.waitForFunction(
      (n) => document.querySelectorAll("a.card .status-online").length === n,
      HOSTS,
      {
        timeout: 30_000,
      },
    );

    const assets = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((e) => e as PerformanceResourceTiming)
        .filter((e) => /\.(js|css)$/.test(new URL(e.name).pathname))
        .map((e) => ({
          path: new URL(e.name).pathname,
          transferBytes: e.transferSize,
          bodyBytes: e.decodedBodySize,
        })),
    );
    const sizes = await Promise.all(
      assets.map(async (a) => {
        const body = new Uint8Array(await (await fetch(`${started.url}${a.path}`)).arrayBuffer());
        return { ...a, gzipBytes: Bun.gzipSync(body, { level: 9 }).byteLength };
      }),
    );

    const fleetWindow = await measure(page, SECONDS);
    await page.locator('button.segment[data-view="table"]').click();
    await page.waitForFunction(
      (n) => document.querySelectorAll("tr.host-row").length === n,
      HOSTS,
      { timeout: 15_000 },
    );
    const tableWindow = await measure(page, SECONDS);
    await page.locator('button.segment[data-view="cards"]').click();
    await page.locator("a.card").first().waitFor();
    await page.locator(`a.card[data-host="vm-001"]`).click();
    await page.locator('[data-testid="processes"] tbody tr').first().waitFor({ timeout: 15_000 });
    const detailWindow = await measure(page, DETAIL_SECONDS);

    const total = (k: "transferBytes" | "bodyBytes" | "gzipBytes") =>
      sizes.reduce((s, a) => s + a[k], 0);
    console.log(
      `\n${HOSTS} hosts at ${INTERVAL_MS} ms, Chromium ${browser.version()}, viewport 1920×1080\n`,
    );
    console.log(
      "| page | measured | live messages | long tasks > 50 ms | longest | main thread busy | script | style + layout | JS heap |",
    );
    console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    console.log(row(`fleet overview (${HOSTS} cards)`, fleetWindow, SECONDS));
    console.log(row(`fleet table (${HOSTS} rows)`, tableWindow, SECONDS));
    console.log(row("host page (charts, processes)", detailWindow, DETAIL_SECONDS));
    console.log("\n| asset | transferred | gzip -9 (if served compressed) |\n| --- | --- | --- |");
    for (const a of sizes) console.log(`| ${a.path} | ${a.transferBytes} B | ${a.gzipBytes} B |`);
    console.log(
      `| JS + CSS total | ${total("transferBytes")} B (${(total("bodyBytes") / 1024).toFixed(1)} KiB of code) | ${total("gzipBytes")} B |`,
    );
    const over = [
      ...fleetWindow.longTasks,
      ...tableWindow.longTasks,
      ...detailWindow.longTasks,
    ].filter((t) => t.ms > LONG_TASK_MS);
    console.log(
      over.length === 0
        ? `\nPASS: no long task over ${LONG_TASK_MS} ms.`
        : `\nFAIL: ${over.length} long task(s) over ${LONG_TASK_MS} ms: ${over.map((t) => `${t.ms.toFixed(0)} ms`).join(", ")}`,
    );
    process.exitCode = over.length === 0 ? 0 : 1;
  } finally {
    await browser?.close();
    receiver?.kill("SIGTERM");
    await receiver?.exited;
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
