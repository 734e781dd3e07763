// Inside the hypervisor, in a real headless Chromium against the real receiver and a simulated
// fleet on loopback: the Proxmox host's guests and containers tables (sorting, a stopped guest, a
// CPU line per row, a guest that is a host of the fleet linking to its page), a failing disk and
// a failed unit as problems on the fleet's cards, and the health panel naming the failing disk.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { artifact, browserSkipReason, launchChromium } from "./web/browser.ts";
import { card, horizontalOverflow, logIn } from "./web/page.ts";
import { type Stack, startStack } from "./web/stack.ts";

const skip = browserSkipReason();
if (skip) console.warn(`web guests e2e: ${skip}`);

describe.skipIf(skip !== null)("guests, containers and health in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({
        hosts: [
          { name: "pve", character: "hypervisor" },
          { name: "db" },
          { name: "git" },
          { name: "nas", character: "failing-disk" },
          { name: "web", character: "failed-unit" },
          { name: "quiet-1" },
          { name: "quiet-2" },
        ],
        intervalMs: 500,
      }),
      launchChromium(),
    ]);
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(stack.url);
    await logIn(page, stack.token);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test("a failing disk and a failed unit show on their cards and sort among the problems", async () => {
    const nas = card(page, "nas");
    await nas.locator(".problem.bad", { hasText: "DISK" }).waitFor();
    expect(await nas.locator(".problem.bad").textContent()).toContain("DISK · disk sda failing");
    expect(await nas.getAttribute("data-severity")).toBe("problem");
    const web = card(page, "web");
    await web.locator(".problem.bad", { hasText: "UNIT" }).waitFor();
    expect(await web.locator(".problem.bad").textContent()).toContain(
      "1 failed unit: certbot.service",
    );
    // Problems first (the default order): both before every fine host.
    const ids = await page
      .locator("a.card")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-host") ?? ""));
    for (const fine of ["db", "git", "quiet-1", "quiet-2"]) {
      expect(ids.indexOf("nas")).toBeLessThan(ids.indexOf(fine));
      expect(ids.indexOf("web")).toBeLessThan(ids.indexOf(fine));
    }
  }, 20_000);

  test("the hypervisor's guests: every one listed, the stopped one stopped, sorted by CPU, with a CPU line", async () => {
    await page.goto(`${stack.url}/#/host/pve`);
    const rows = page.locator('[data-testid="guests"] tbody tr');
    await rows.nth(5).waitFor();
    const names = await rows.evaluateAll((trs) =>
      trs.map((tr) => tr.querySelectorAll("td")[1]?.textContent ?? ""),
    );
    expect(names).toEqual(["db", "git", "dns", "monitoring", "ci-runner", "win11"]);
    const win11 = page.locator('[data-testid="guests"] tr[data-key="guest/105"]');
    expect(await win11.locator("[data-status]").getAttribute("data-status")).toBe("stopped");
    expect(await win11.textContent()).toContain("stopped");
    expect(await page.locator('[data-testid="guests-panel"] h2').textContent()).toContain(
      "5 of 6 running",
    );

    // Sorted by CPU: the busiest first (numbers sort descending first), then again: the least.
    // The first reading has no CPU yet (a rate needs two): wait for the second.
    await page.waitForFunction(() =>
      /\d%/.test(
        document.querySelector(
          '[data-testid="guests"] tr[data-key="guest/104"] [data-testid="guest-cpu"]',
        )?.textContent ?? "",
      ),
    );
    const cpuHeader = page.locator('[data-testid="guests"] button[data-column="cpu"]');
    await cpuHeader.click();
    expect(await rows.first().getAttribute("data-key")).toBe("guest/104"); // ci-runner, ~95 %
    expect(await rows.first().locator('[data-testid="guest-cpu"]').textContent()).toMatch(/^\d+%$/);
    await cpuHeader.click();
    // Ascending: the stopped guest has no CPU and sorts last either way; the quietest leads.
    expect(await rows.first().getAttribute("data-key")).not.toBe("guest/104");
    expect(await rows.last().getAttribute("data-key")).toBe("guest/105");

    // The CPU line grows with the live frames while the page is open.
    const spark = page.locator('[data-testid="guests"] tr[data-key="guest/100"] svg.spark path');
    await page.waitForFunction(
      () =>
        (
          document
            .querySelector('[data-testid="guests"] tr[data-key="guest/100"] svg.spark path')
            ?.getAttribute("d") ?? ""
        ).includes("L"),
      undefined,
      { timeout: 10_000 },
    );
    expect(await spark.getAttribute("d")).toMatch(/^M[\d.]+ [\d.]+L/);

    const containers = page.locator('[data-testid="containers"] tbody tr');
    await containers.nth(3).waitFor();
    expect(await containers.count()).toBe(4);
    expect(await page.locator('[data-testid="containers"]').textContent()).toContain(
      "ghcr.io/home-assistant/home-assistant",
    );
    await page.screenshot({ path: artifact("guests-1400.png"), fullPage: true });
  }, 30_000);

  test("a guest that is a host of the fleet links to its page; one that is not does not", async () => {
    const db = page.locator('[data-testid="guests"] tr[data-key="guest/100"]');
    expect(await db.locator('[data-testid="guest-host-link"]').count()).toBe(1);
    const runner = page.locator('[data-testid="guests"] tr[data-key="guest/104"]');
    expect(await runner.locator('[data-testid="guest-host-link"]').count()).toBe(0);
    await db.locator('[data-testid="guest-host-link"]').click();
    await page.waitForURL(/#\/host\/db/);
    await page.locator("h1", { hasText: "db" }).waitFor();
  }, 20_000);

  test("the health panel names the failing disk, its bad sectors, and what could not be read", async () => {
    await page.goto(`${stack.url}/#/host/nas`);
    const panel = page.locator('[data-testid="health-panel"]');
    const failing = panel.locator('[data-testid="health-disks"] tr[data-key="/dev/sda"]');
    await failing.waitFor();
    expect(await failing.locator('[data-testid="disk-failing"]').textContent()).toContain(
      "FAILING",
    );
    const text = (await failing.textContent()) ?? "";
    expect(text).toContain("1,184 reallocated");
    expect(text).toMatch(/52,113\sh/);
    // Failing first: the health column sorts the worst to the top.
    expect(
      await panel.locator('[data-testid="health-disks"] tbody tr').first().getAttribute("data-key"),
    ).toBe("/dev/sda");
    expect(await panel.locator('[data-testid="health-unavailable"]').textContent()).toContain(
      "ZFS: not available: zpool is not installed",
    );
    // The page's problems say it too, in words.
    expect(await page.locator(".detail > .problems").textContent()).toContain("disk sda failing");

    await page.goto(`${stack.url}/#/host/web`);
    await page.locator('[data-testid="failed-units"]', { hasText: "certbot.service" }).waitFor();
  }, 20_000);

  test("on a phone (360 px) the hypervisor's page does not scroll sideways: the tables do", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${stack.url}/#/host/pve`);
    await page.locator('[data-testid="guests"] tbody tr').nth(5).waitFor();
    await page.locator('[data-testid="containers"] tbody tr').nth(3).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await page.setViewportSize({ width: 1400, height: 1000 });
  }, 20_000);
});
