// The host page's layout and charts in a real Chromium at 360, 1440 and 2560 px, against a real
// receiver, a real sender and simulated hosts (a hypervisor with bridges and their ports, a GPU
// host, one offline from the start): nothing scrolls sideways, no panel sits alone on a row it
// leaves mostly empty, a phone sees a process's name, CPU and memory, the value axes tick at round
// numbers, the network chart shows the total and no bridge port, an empty chart says "no data",
// and a host that went away is drawn up to now.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { ifaceRole } from "../../src/client/network-lines.ts";
import type { HostState } from "../../src/protocol/index.ts";
import { browserSkipReason, launchChromium } from "./web/browser.ts";
import { card, horizontalOverflow, logIn } from "./web/page.ts";
import { type Stack, startStack } from "./web/stack.ts";

const skip = browserSkipReason();
if (skip) console.warn(`web host layout e2e: ${skip}`);

const WIDTHS = [360, 1440, 2560] as const;
/** The charts every host page has (temperatures only where there are sensors). */
const CHARTS = ["CPU", "Memory", "Network (bytes per second)", "Disk I/O (bytes per second)"];
/** A panel alone on its row must span at least this share of the page's content width. */
const LONE_MIN_SHARE = 0.9;

interface Box {
  name: string;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Every panel on the host page (outermost ones: a table inside a panel is part of it). */
async function panelBoxes(page: Page): Promise<{ content: number; panels: Box[] }> {
  return page.evaluate(() => {
    const detail = document.querySelector(".detail");
    const content = detail?.getBoundingClientRect().width ?? 0;
    const panels = [...document.querySelectorAll<HTMLElement>(".detail .panel, .detail .chart")]
      .filter((el) => !el.parentElement?.closest(".panel, .chart"))
      .map((el) => {
        const r = el.getBoundingClientRect();
        const name =
          el.querySelector("h2, figcaption")?.textContent?.trim().slice(0, 40) ?? el.className;
        return { name, left: r.left, top: r.top + scrollY, width: r.width, height: r.height };
      })
      .filter((b) => b.width > 0 && b.height > 0);
    return { content, panels };
  });
}

/**
 * Panels alone on their row (grouped by top edge) that span less than LONE_MIN_SHARE of the
 * content width, with nothing beside them: another panel, left or right, overlapping at least
 * half of its height (the process table beside a stack of small tables).
 */
function loneRows(content: number, panels: Box[]): string[] {
  const rows = new Map<number, Box[]>();
  for (const p of panels) {
    const key = [...rows.keys()].find((top) => Math.abs(top - p.top) <= 3) ?? p.top;
    rows.set(key, [...(rows.get(key) ?? []), p]);
  }
  const bad: string[] = [];
  for (const row of rows.values()) {
    const [p] = row;
    if (row.length !== 1 || !p || p.width >= LONE_MIN_SHARE * content) continue;
    const beside = panels.some((q) => {
      if (q === p) return false;
      const apart = q.left >= p.left + p.width - 1 || q.left + q.width <= p.left + 1;
      const overlap = Math.min(p.top + p.height, q.top + q.height) - Math.max(p.top, q.top);
      return apart && overlap >= p.height / 2;
    });
    if (!beside) bad.push(`${p.name}: ${Math.round(p.width)} of ${Math.round(content)} px`);
  }
  return bad;
}

/** "250 KiB/s" → 250; "0.5 GiB" → 0.5; "40%" → 40. */
const tickNumber = (label: string) => Number(/^[\d.]+/.exec(label.replace(/\u00a0/g, " "))?.[0]);

/** The labels go up from 0 by a step of 1, 2, 2.5 or 5 times a power of ten, in one unit. */
function roundTicks(labels: string[]): boolean {
  const numbers = labels.map(tickNumber);
  const units = new Set(labels.map((l) => l.replace(/^[\d.]+/, "")));
  const step = (numbers[1] ?? 0) - (numbers[0] ?? 0);
  if (!(step > 0) || numbers[0] !== 0 || units.size !== 1) return false;
  const mantissa = step / 10 ** Math.floor(Math.log10(step));
  return (
    [1, 2, 2.5, 5].some((m) => Math.abs(mantissa - m) < 1e-9) &&
    numbers.every((n, i) => Math.abs(n - i * step) < step * 1e-6)
  );
}

describe.skipIf(skip !== null)("the host page's layout and charts", () => {
  let stack: Stack;
  let browser: Browser;
  /** A simulated host whose interfaces include bridge ports (tap, veth, fwbr…). */
  let bridged = "";

  /**
   * Opens a host's page in a fresh browser context of that width, runs `body` on it (after the
   * page is drawn in full unless `drawn` is false), and closes the context whatever happens.
   */
  async function onHostPage(
    view: { width: number; id: string; scheme?: "light" | "dark"; drawn?: boolean },
    body: (page: Page) => Promise<void>,
  ): Promise<void> {
    const context = await browser.newContext({
      viewport: { width: view.width, height: view.width === 360 ? 780 : 1000 },
      colorScheme: view.scheme ?? "light",
    });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(stack.url);
      await logIn(page, stack.token);
      await card(page, view.id).click();
      await page.locator("h1", { hasText: view.id }).waitFor();
      if (view.drawn !== false) await settled(page);
      await body(page);
    } finally {
      await context.close();
    }
  }

  /** Waits until the page is drawn in full: processes listed, the charts on canvas. */
  async function settled(page: Page): Promise<void> {
    await page.locator('[data-testid="processes"] tbody tr').first().waitFor();
    await page.locator('[data-testid="chart-CPU"] canvas').waitFor();
    await page.locator('[data-testid="chart-Network (bytes per second)"][data-y-ticks]').waitFor();
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({
        senders: ["alpha", "gone"],
        hosts: [
          { name: "pve", character: "hypervisor" },
          { name: "gpu", character: "gpu" },
          { name: "dark", character: "offline" },
        ],
        fake: 8,
        intervalMs: 500,
      }),
      launchChromium(),
    ]);
    // A few seconds of frames for the charts.
    await Bun.sleep(3000);
    const res = await fetch(`${stack.url}/api/v1/hosts`, {
      headers: { authorization: `Bearer ${stack.token}` },
    });
    const { hosts } = (await res.json()) as { hosts: HostState[] };
    const withPorts = hosts.filter(
      (h) =>
        (h.snapshot?.network ?? []).some((n) => ifaceRole(n.iface) === "port") &&
        (h.snapshot?.network ?? []).some((n) => ifaceRole(n.iface) === "link"),
    );
    bridged = withPorts[0]?.id ?? "";
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  for (const width of WIDTHS) {
    test(`${width} px: no sideways scroll and no lone panel leaving its row half empty`, async () => {
      for (const id of ["alpha", "pve", "gpu"]) {
        await onHostPage({ width, id }, async (page) => {
          expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
          const { content, panels } = await panelBoxes(page);
          expect(panels.length).toBeGreaterThan(8);
          expect({ id, lone: loneRows(content, panels) }).toEqual({ id, lone: [] });
          // Never a process table across a whole wide screen: it shares its row.
          const processes = panels.find((p) => p.name.startsWith("Processes"));
          if (width >= 1440) expect(processes?.width ?? 0).toBeLessThan(0.6 * content);
        });
      }
    }, 90_000);
  }

  test("360 px: the process table's name, CPU and memory are in view; the facts are folded", async () => {
    await onHostPage({ width: 360, id: "alpha" }, async (page) => {
      for (const column of ["name", "cpu", "mem"]) {
        const box = await page
          .locator(`[data-testid="processes"] button.sort[data-column="${column}"]`)
          .boundingBox();
        expect(box).not.toBeNull();
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 360).toBe(true);
      }
      // The cells too, not only the headers: the widest row (a long name) never scrolls sideways.
      const overflow = await page
        .locator('[data-testid="processes"]')
        .evaluate((t) => (t.parentElement?.scrollWidth ?? 1) - (t.parentElement?.clientWidth ?? 0));
      expect(overflow).toBeLessThanOrEqual(0);
      // Folded facts: the CPU panel starts on the first screen.
      expect(await page.locator('[data-testid="host-facts"]').getAttribute("open")).toBeNull();
      const cpu = await page.locator(".panel h2", { hasText: /^CPU$/ }).boundingBox();
      expect((cpu?.y ?? 9999) + 40).toBeLessThan(780);
    });
  }, 30_000);

  test("the value axes tick at round numbers of their unit", async () => {
    await onHostPage({ width: 1440, id: "alpha" }, async (page) => {
      for (const title of CHARTS) {
        const figure = page.locator(`[data-testid="chart-${title}"][data-y-ticks]`);
        await figure.waitFor();
        const labels = ((await figure.getAttribute("data-y-ticks")) ?? "").split("|");
        expect({ title, labels, round: roundTicks(labels) }).toEqual({
          title,
          labels,
          round: true,
        });
      }
    });
  }, 30_000);

  test("the network chart lists the total and the busiest interfaces, never a bridge port", async () => {
    expect(bridged).not.toBe("");
    await onHostPage({ width: 1440, id: bridged }, async (page) => {
      const legend = await page
        .locator('[data-testid="chart-Network (bytes per second)"] .u-legend .u-series')
        .evaluateAll((rows) =>
          rows.map((r) => ({
            label: r.querySelector(".u-label")?.textContent ?? "",
            colour: getComputedStyle(r.querySelector(".u-marker") as Element).borderColor,
          })),
        );
      const labels = legend.map((l) => l.label);
      expect(labels).toContain("total ↓ in");
      expect(labels).toContain("total ↑ out");
      const ifaces = labels.filter((l) => /[↓↑]$/.test(l)).map((l) => l.replace(/ [↓↑]$/, ""));
      expect(new Set(ifaces).size).toBeLessThanOrEqual(3);
      for (const iface of ifaces) expect(ifaceRole(iface)).not.toBe("port");
      // In and out in distinct colours.
      const colourOf = (label: string) => legend.find((l) => l.label === label)?.colour;
      expect(colourOf("total ↓ in")).toBeDefined();
      expect(colourOf("total ↓ in")).not.toBe(colourOf("total ↑ out"));
    });
  }, 30_000);

  test("a host that never answered: every chart says 'no data' instead of drawing axes", async () => {
    await onHostPage({ width: 1440, id: "dark", drawn: false }, async (page) => {
      await page.locator(".chart-empty").first().waitFor();
      expect(await page.locator(".charts canvas").count()).toBe(0);
      for (const title of CHARTS) {
        const empty = page.locator(`[data-testid="chart-${title}"] .chart-empty`);
        expect(await empty.textContent()).toMatch(/^no data/);
      }
    });
  }, 30_000);

  test("a host that went away is drawn up to now: its line stops, the axis goes on", async () => {
    await onHostPage({ width: 1440, id: "gone" }, async (page) => {
      await stack.senders.get("gone")?.stop();
      await page.locator(".detail-head .badge.status-offline").waitFor({ timeout: 10_000 });
      await page.waitForTimeout(4000);
      const cpu = page.locator('[data-testid="chart-CPU"]');
      const lastMs = Number(await cpu.getAttribute("data-last-ms"));
      const toMs = Number(await cpu.getAttribute("data-window-to-ms"));
      // The axis reaches seconds past the last reading: the gap is drawn, not cut off.
      expect(toMs - lastMs).toBeGreaterThan(3000);
      expect(Math.abs(toMs - Date.now())).toBeLessThan(2000);
    });
  }, 40_000);
});
