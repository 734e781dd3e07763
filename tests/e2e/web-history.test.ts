// The web dashboard with history and alerts on, in a real Chromium against a real `both` node
// that records every 500 ms into a temp file and has a rule that fires at once: the range
// picker reads recorded points, a reload keeps them, a zoom pauses live updates, Back keeps the
// range, the alert shows on the card, the host page and the alerts list. A node with history off
// offers only Live and says why. Screenshots go to artifacts/web/.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { type RunningProcess, startHwm } from "../helpers/process.ts";
import { artifact, browserSkipReason, launchChromium } from "./web/browser.ts";

const skip = browserSkipReason();
if (skip) console.warn(`web history e2e: ${skip}`);

const RULE = "always up";

/** A `both` node without a token (loopback only: no login), history and one alert rule on. */
async function startRecordingNode(): Promise<RunningProcess> {
  const dir = mkdtempSync(join(tmpdir(), "hwm-web-history-"));
  const config = join(dir, "node.toml");
  writeFileSync(
    config,
    [
      'role = "both"',
      'listen = "127.0.0.1:0"',
      "interval_ms = 500",
      "[history]",
      "enabled = true",
      "interval_ms = 500",
      `path = ${JSON.stringify(join(dir, "history.db"))}`,
      "[[alerts]]",
      `name = ${JSON.stringify(RULE)}`,
      // No `for`: it fires at the first round, on any host.
      'when = "uptime_s > 0"',
      "",
    ].join("\n"),
  );
  return startHwm(["--config", config, "--no-tui"]);
}

/** The CPU chart's count of rows with a value and its first time, as the page drew them. */
async function cpuChart(page: Page): Promise<{ points: number; firstMs: number }> {
  const figure = page.locator('[data-testid="chart-CPU"]');
  const [points, firstMs] = await Promise.all([
    figure.getAttribute("data-points"),
    figure.getAttribute("data-first-ms"),
  ]);
  return { points: Number(points ?? 0), firstMs: Number(firstMs ?? Number.NaN) };
}

/** Waits (bounded) until the CPU chart has at least `count` points. */
async function cpuPoints(page: Page, count: number, timeoutMs = 10_000): Promise<void> {
  await page.waitForFunction(
    (n) =>
      Number(
        document.querySelector('[data-testid="chart-CPU"]')?.getAttribute("data-points") ?? 0,
      ) >= n,
    count,
    { timeout: timeoutMs },
  );
}

/** Waits until the charts show `view` ("live", "24h", "zoom") read from history. */
async function shown(page: Page, view: string): Promise<void> {
  await page.locator(`.charts-panel[data-view="${view}"][data-state="ready"]`).waitFor();
}

function pressed(page: Page, label: string) {
  return page.locator('button.range[aria-pressed="true"]', { hasText: label });
}

describe.skipIf(skip !== null)("dashboard with history and alerts", () => {
  let node: RunningProcess;
  let browser: Browser;
  let page: Page;
  let hostId = "";

  beforeAll(async () => {
    [node, browser] = await Promise.all([startRecordingNode(), launchChromium()]);
    const hosts = (await (await fetch(`${node.url}/api/v1/hosts`)).json()) as {
      hosts: { id: string }[];
      features?: { history: string | null; alerts: boolean };
    };
    hostId = hosts.hosts[0]?.id ?? "";
    expect(hosts.features).toEqual({ history: "sqlite", alerts: true });
    // Let the node record a few seconds before anybody watches.
    await Bun.sleep(3000);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  test("the card shows the firing alert in words and colour, and a recorded 24 h sparkline", async () => {
    await page.goto(node.url);
    const card = page.locator(`a.card[data-host="${hostId}"]`);
    const alert = card.locator(".problem", { hasText: "ALERT" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(RULE);
    expect(await alert.getAttribute("title")).toContain("uptime_s");
    expect(await card.getAttribute("class")).toContain("sev-bad");
    expect(await page.locator('[data-testid="alerts-link"]').textContent()).toContain("1 firing");
    const spark = card.locator('[data-testid="spark-history"]');
    await spark.waitFor();
    expect(await card.locator(".spark-label").textContent()).toBe("24 h");
    expect(await spark.locator("path").getAttribute("d")).toMatch(/^M/);
    await page.screenshot({ path: artifact("history-fleet-1280.png") });
  }, 30_000);

  test("the alerts list shows the rule firing and its event, newest first, with how long ago", async () => {
    await page.locator('[data-testid="alerts-link"]').click();
    await page.waitForURL(/#\/alerts$/);
    const rule = page.locator(`[data-rule="${RULE}"]`);
    await rule.waitFor();
    expect(await rule.locator(".rule-head .badge").textContent()).toContain("firing");
    expect(await rule.textContent()).toContain(hostId);
    const event = page.locator('[data-testid="alert-events"] li').first();
    await event.waitFor();
    const text = (await event.textContent()) ?? "";
    expect(text).toContain("firing");
    expect(text).toContain(RULE);
    expect(text).toMatch(/\d+(s|m)\u00a0ago/);
    await page.screenshot({ path: artifact("history-alerts-1280.png"), fullPage: true });
  }, 20_000);

  test("the host page: its firing alert with the message; Live starts from recorded points", async () => {
    await page.goto(`${node.url}/#/host/${encodeURIComponent(hostId)}`);
    await page.locator('[data-testid="firing-alerts"]', { hasText: RULE }).waitFor();
    expect(await page.locator("button.range").count()).toBe(5);
    await pressed(page, "Live").waitFor();
    await shown(page, "live");
    // Recorded before the page opened: more points at once than live frames could have brought.
    await cpuPoints(page, 4);
    const { firstMs } = await cpuChart(page);
    expect(firstMs).toBeLessThan(Date.now() - 2000);
  }, 20_000);

  test("the range picker switches ranges (in the URL), each showing recorded points", async () => {
    for (const [label, key] of [
      ["1 h", "1h"],
      ["24 h", "24h"],
      ["7 d", "7d"],
      ["30 d", "30d"],
    ] as const) {
      const pickedAtMs = Date.now();
      await page.locator("button.range", { hasText: label }).click();
      await page.waitForURL(new RegExp(`\\?range=${key}$`));
      await pressed(page, label).waitFor();
      await shown(page, key);
      await cpuPoints(page, 1);
      // The CPU chart is drawn, not an empty axis.
      await page.locator('[data-testid="chart-CPU"] canvas').waitFor();
      if (key === "1h") {
        // Read from the raw points: its steps start before the range was picked.
        expect((await cpuChart(page)).firstMs).toBeLessThan(pickedAtMs - 3000);
      }
    }
    await page.screenshot({ path: artifact("history-host-30d-1280.png"), fullPage: true });
    // By keyboard: Tab to Live and press Enter.
    await page.locator("button.range", { hasText: "Live" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => !url.hash.includes("range="));
    await pressed(page, "Live").waitFor();
  }, 30_000);

  test("a reload keeps the points recorded before it", async () => {
    await cpuPoints(page, 8);
    const before = await cpuChart(page);
    const reloadedAtMs = Date.now();
    await page.reload();
    await shown(page, "live");
    await cpuPoints(page, 8);
    const after = await cpuChart(page);
    // The chart starts where it started before the reload (the window may have slid a little),
    // not at the reload: those points came from history.
    expect(after.firstMs).toBeLessThan(reloadedAtMs - 3000);
    expect(Math.abs(after.firstMs - before.firstMs)).toBeLessThan(2000);
  }, 30_000);

  test("a range survives a reload, and Back to the host page keeps it", async () => {
    await page.locator("button.range", { hasText: "24 h" }).click();
    await page.waitForURL(/\?range=24h$/);
    await page.reload();
    await pressed(page, "24 h").waitFor();
    // The page has taken the focus: its keys are listened to.
    await page.waitForFunction(() => document.activeElement?.id === "host-title");
    await page.keyboard.press("Escape");
    await page.waitForURL((url) => !url.hash.includes("/host/"));
    await page.goBack();
    await page.waitForURL(/\?range=24h$/);
    await pressed(page, "24 h").waitFor();
    await page.locator("button.range", { hasText: "Live" }).click();
  }, 20_000);

  test("dragging across a chart zooms every chart, pauses live updates; Esc resets", async () => {
    await cpuPoints(page, 6);
    const over = page.locator('[data-testid="chart-CPU"] .u-over');
    const box = await over.boundingBox();
    if (!box) throw new Error("the CPU chart has no plot area");
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.9, y, { steps: 5 });
    await page.mouse.up();
    const note = page.locator(".zoom-note");
    await note.waitFor();
    expect(await note.textContent()).toContain("live updates paused");
    await page.locator("button", { hasText: "Reset zoom" }).waitFor();
    await shown(page, "zoom");
    await cpuPoints(page, 1);
    // Paused: the zoomed chart does not change with the frames that keep coming.
    const zoomed = await cpuChart(page);
    await page.waitForTimeout(1500);
    expect(await cpuChart(page)).toEqual(zoomed);
    await page.screenshot({ path: artifact("history-zoom-1280.png") });
    await page.keyboard.press("Escape");
    await note.waitFor({ state: "detached" });
    expect(page.url()).toContain("/host/");
    await pressed(page, "Live").waitFor();
  }, 30_000);
});

describe.skipIf(skip !== null)("dashboard with history off", () => {
  test("the picker offers only Live and says why; no alerts link; charts of the session", async () => {
    const [node, browser] = await Promise.all([
      startHwm(["--role", "both", "--listen", "127.0.0.1:0", "--no-tui", "--interval-ms", "500"]),
      launchChromium(),
    ]);
    try {
      const hosts = (await (await fetch(`${node.url}/api/v1/hosts`)).json()) as {
        hosts: { id: string }[];
      };
      const id = hosts.hosts[0]?.id ?? "";
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      // A link with a range from a node that had history still opens, on Live.
      await page.goto(`${node.url}/#/host/${encodeURIComponent(id)}?range=7d`);
      await page
        .locator('[data-testid="history-off"]', { hasText: "history is off on this receiver" })
        .waitFor({ timeout: 10_000 });
      expect(await page.locator("button.range").count()).toBe(1);
      expect(await pressed(page, "Live").count()).toBe(1);
      expect(await page.locator('[data-testid="alerts-link"]').count()).toBe(0);
      expect(await page.locator(".charts-panel").getAttribute("data-state")).toBe("session");
      await cpuPoints(page, 2);
    } finally {
      await browser.close();
      await node.stop();
    }
  }, 30_000);
});
