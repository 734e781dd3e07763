// The fleet page in a real Chromium against a real receiver polling `hwm demo`'s simulated fleet
// (busy, hot, full, offline, unauthorized, a GPU, …) on loopback: the table view and its sorting,
// the same "problems first" as the cards, load and GPU, the tab's title, the keys (`/`, arrows,
// Enter), focus unlike hover, and no sideways scrolling from 360 to 2560 px.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { FLEET_COLUMNS, type FleetColumn } from "../../src/client/fleet-table.ts";
import { DEMO_HOSTS } from "../../src/commands/demo.ts";
import { artifact, browserSkipReason, launchChromium } from "./web/browser.ts";
import { card, horizontalOverflow, logIn } from "./web/page.ts";
import { type Stack, startStack } from "./web/stack.ts";

const skip = browserSkipReason();
if (skip) console.warn(`fleet table e2e: ${skip}`);

const COLUMNS = Object.keys(FLEET_COLUMNS) as FleetColumn[];
const GPU_HOST = DEMO_HOSTS.find((h) => h.character === "gpu")?.name ?? "gpu-box";
const OFFLINE_HOST = DEMO_HOSTS.find((h) => h.character === "offline")?.name ?? "old-laptop";
const RANK: Record<string, number> = { down: 4, stale: 3, problem: 2, busy: 1, fine: 0 };

/** A cell's text as a number to compare ("12%", "1.50 MiB/s", "3d 4h", "0.42 · 0.05/core"); "—": null. */
function quantity(text: string): number | null {
  const t = text.replace(/\u00a0/g, " ").trim();
  if (t === "—" || t === "never") return null;
  const duration = /^(\d+)([dhms])(?: (\d+)([hms]))?$/.exec(t);
  if (duration) {
    const unit: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };
    return (
      Number(duration[1]) * (unit[duration[2] ?? "s"] ?? 1) +
      Number(duration[3] ?? 0) * (unit[duration[4] ?? "s"] ?? 1)
    );
  }
  const match = /^([\d.]+)\s*(B|KiB|MiB|GiB|TiB)?/.exec(t);
  if (!match?.[1]) throw new Error(`not a quantity: ${JSON.stringify(text)}`);
  const scale: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
  return Number(match[1]) * (scale[match[2] ?? "B"] ?? 1);
}

/** Sorted as the table promises: in the direction asked, unknown values last either way. */
function isSorted(values: (number | null)[], descending: boolean): boolean {
  const known = values.filter((v) => v !== null);
  const firstNull = values.indexOf(null);
  if (firstNull >= 0 && values.slice(firstNull).some((v) => v !== null)) return false;
  return known.every((v, i) => {
    const prev = known[i - 1];
    return prev === undefined || (descending ? prev >= v : prev <= v);
  });
}

/** What the table shows now: each row's host, severity and cells, read in one go. */
function readRows(page: Page) {
  return page.locator("tr.host-row").evaluateAll((trs) =>
    trs.map((tr) => ({
      host: tr.getAttribute("data-host") ?? "",
      severity: tr.getAttribute("data-severity") ?? "",
      cells: [...tr.querySelectorAll("td")].map((td) => td.textContent ?? ""),
    })),
  );
}

const cardIds = (page: Page) =>
  page.locator("a.card").evaluateAll((els) => els.map((e) => e.getAttribute("data-host") ?? ""));

/** The host page has its keys: it focuses its title when it starts listening for Esc. */
function hostPageReady(page: Page) {
  return page.waitForFunction(() => document.activeElement?.id === "host-title");
}

async function showView(page: Page, view: "cards" | "table"): Promise<void> {
  await page.locator(`button.segment[data-view="${view}"]`).click();
  await page
    .locator(view === "table" ? "tr.host-row" : "a.card")
    .first()
    .waitFor();
}

describe.skipIf(skip !== null)("fleet table, keys and title in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ hosts: DEMO_HOSTS, intervalMs: 1000 }),
      launchChromium(),
    ]);
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(stack.url);
    await logIn(page, stack.token);
    await card(page, GPU_HOST).locator(".badge.status-online").waitFor();
    await page.waitForSelector(`a.card[data-host="${OFFLINE_HOST}"][data-status="offline"]`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test("the table is a remembered view in the URL; problems first is the cards' order", async () => {
    // The order follows live severities (the busy host crosses 90 % now and then): compare the
    // two views read close together, a few times at most.
    let cards: string[] = [];
    let rows: string[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      await showView(page, "cards");
      cards = await cardIds(page);
      await showView(page, "table");
      rows = (await readRows(page)).map((r) => r.host);
      if (rows.join() === cards.join()) break;
    }
    expect(rows).toEqual(cards);
    expect(rows.length).toBe(DEMO_HOSTS.length);
    expect(rows[0]).toBe("guest-vm"); // unauthorized and offline lead, by name
    expect(rows[1]).toBe(OFFLINE_HOST);
    expect(
      await page.locator('th[aria-sort="descending"] button[data-column="status"]').count(),
    ).toBe(1);
    expect(page.url()).toEndWith("#/?view=table");
    // Remembered in this browser: a reload of the bare fleet URL shows the table again.
    await page.goto(stack.url);
    await page.locator("tr.host-row").first().waitFor();
    expect(await page.locator("a.card").count()).toBe(0);
    await page.screenshot({ path: artifact("fleet-table-1440.png") });
  }, 60_000);

  test("every column sorts, both ways, unknown values last; aria-sort says how", async () => {
    await page.goto(`${stack.url}/#/?view=table`);
    await page.locator("tr.host-row").first().waitFor();
    for (const [index, column] of COLUMNS.entries()) {
      const header = page.locator(`button.sort[data-column="${column}"]`);
      const seen = new Set<string>();
      for (const _click of [1, 2]) {
        await header.click();
        const sort = await page.locator("th").nth(index).getAttribute("aria-sort");
        expect(sort === "ascending" || sort === "descending").toBe(true);
        seen.add(sort ?? "");
        expect(await page.locator("th[aria-sort]").count()).toBe(1);
        const descending = sort === "descending";
        // Live numbers re-sort at most every 5 s: a frame landing between the sort and this
        // read can leave them out of order for that long, never longer.
        const deadline = Date.now() + 7000;
        let ordered = false;
        let last: unknown[] = [];
        while (!ordered && Date.now() < deadline) {
          const rows = await readRows(page);
          if (column === "name") {
            const names = rows.map((r) => r.host);
            last = names;
            const sorted = [...names].sort((a, b) =>
              a.localeCompare(b, undefined, { numeric: true }),
            );
            ordered = names.join() === (descending ? sorted.reverse() : sorted).join();
          } else {
            const values =
              column === "status"
                ? rows.map((r) => RANK[r.severity] ?? null)
                : rows.map((r) => quantity(r.cells[index] ?? ""));
            last = values;
            ordered = isSorted(values, descending);
          }
          if (!ordered) await Bun.sleep(250);
        }
        if (!ordered) throw new Error(`${column} ${sort}: ${JSON.stringify(last)}`);
      }
      expect([...seen].sort()).toEqual(["ascending", "descending"]);
    }
    // Back to problems first.
    await page.locator('button.sort[data-column="status"]').click();
    if ((await page.locator("th").first().getAttribute("aria-sort")) !== "descending")
      await page.locator('button.sort[data-column="status"]').click();
  }, 120_000);

  test("load and GPU: on the GPU host's card and row; a host without a GPU shows none", async () => {
    const row = page.locator(`tr.host-row[data-host="${GPU_HOST}"]`);
    await row.waitFor();
    const gpuCell = row.locator("td").nth(COLUMNS.indexOf("gpu"));
    const loadCell = row.locator("td").nth(COLUMNS.indexOf("load"));
    expect(await gpuCell.textContent()).toMatch(/^\d+(\.\d)?%$/);
    expect(await loadCell.textContent()).toMatch(/^\d+\.\d{2} · \d\.\d{2}\/core$/);
    const plain = page.locator('tr.host-row[data-host="db"] td').nth(COLUMNS.indexOf("gpu"));
    expect(await plain.textContent()).toBe("—");

    await showView(page, "cards");
    const gpu = card(page, GPU_HOST).locator(".meter", { hasText: "GPU" });
    expect(await gpu.locator(".meter-label").textContent()).toMatch(/^GPU · .+\d+(\.\d)?%$/);
    expect(await gpu.locator(".meter-text").textContent()).toMatch(/^memory .*iB \/ .*iB$/);
    expect(await card(page, GPU_HOST).locator('[data-testid="load"] dd').textContent()).toMatch(
      /^\d+\.\d{1,2}$/,
    );
    expect(await card(page, "db").locator(".meter", { hasText: "GPU" }).count()).toBe(0);
  }, 20_000);

  test("the title counts the fleet's problems and names the open host, with its state", async () => {
    await page.goto(`${stack.url}/#/`);
    await page.locator("a.card").first().waitFor();
    // The count is the cards' own: hosts that are not fine. Both follow live frames, so they
    // agree within a frame or two.
    await page.waitForFunction(
      () => {
        const n = [...document.querySelectorAll("a.card")].filter(
          (c) => c.getAttribute("data-severity") !== "fine",
        ).length;
        return n > 0 && document.title === `hwm · ${n} problem${n === 1 ? "" : "s"}`;
      },
      undefined,
      { timeout: 10_000 },
    );
    await page.goto(`${stack.url}/#/host/${GPU_HOST}`);
    await page.waitForFunction((t) => document.title === t, `${GPU_HOST} · hwm`);
    await page.goto(`${stack.url}/#/host/${OFFLINE_HOST}`);
    await page.waitForFunction((t) => document.title === t, `${OFFLINE_HOST} (offline) · hwm`);
  }, 30_000);

  test("`/` focuses the filter (and types a slash once there); the filter narrows both views", async () => {
    await page.goto(`${stack.url}/#/?view=cards`);
    await page.locator("a.card").first().waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("/");
    const filter = page.locator('input[type="search"]');
    expect(await filter.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await filter.inputValue()).toBe("");
    await page.keyboard.type("gpu");
    await page.waitForFunction(() => document.querySelectorAll("a.card").length === 1);
    await showView(page, "table");
    expect((await readRows(page)).map((r) => r.host)).toEqual([GPU_HOST]);
    await filter.focus();
    await page.keyboard.press("/");
    expect(await filter.inputValue()).toBe("gpu/");
    await filter.fill("");
    await showView(page, "cards");
  }, 20_000);

  test("arrow keys follow the grid between cards and the rows of the table; Enter or a click opens", async () => {
    await page.locator("select").nth(1).selectOption("name"); // an order that holds still
    const ids = await cardIds(page);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-host"));
    // The card below the first one, as laid out: the first card whose top is below its bottom.
    const below = await page.locator("a.card").evaluateAll((els) => {
      const first = els[0]?.getBoundingClientRect();
      const next = els.find((e) => first && e.getBoundingClientRect().top >= first.bottom - 1);
      return {
        id: next?.getAttribute("data-host"),
        sameColumn: first && next && Math.abs(next.getBoundingClientRect().left - first.left) < 2,
      };
    });
    expect(below.sameColumn).toBe(true);
    await card(page, ids[0] ?? "").focus();
    await page.keyboard.press("ArrowRight");
    expect(await focused()).toBe(ids[1]);
    await page.keyboard.press("ArrowLeft");
    expect(await focused()).toBe(ids[0]);
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe(below.id);
    expect(below.id).not.toBe(ids[1]); // four cards a row at 1440 px: down is not next
    await page.keyboard.press("ArrowUp");
    expect(await focused()).toBe(ids[0]);
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`#/host/${ids[0]}$`));
    await hostPageReady(page);
    await page.keyboard.press("Escape");
    await page.locator("a.card").first().waitFor();
    await page.locator("select").nth(1).selectOption("problems");

    await showView(page, "table");
    const rows = (await readRows(page)).map((r) => r.host);
    await page.locator("tr.host-row").first().focus();
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe(rows[1]);
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe(rows[2]);
    await page.keyboard.press("ArrowUp");
    expect(await focused()).toBe(rows[1]);
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`#/host/${rows[1]}$`));
    await hostPageReady(page);
    await page.keyboard.press("Escape");
    await page.locator("tr.host-row").first().waitFor();
    // Back from the host, the keyboard continues from its row.
    await page.waitForFunction(
      (id) => document.activeElement?.getAttribute("data-host") === id,
      rows[1],
    );
    // A click anywhere on a row opens its host too.
    await page.locator(`tr.host-row[data-host="${GPU_HOST}"] td.num`).first().click();
    await page.waitForURL(new RegExp(`#/host/${GPU_HOST}$`));
    await hostPageReady(page);
    await page.keyboard.press("Escape");
    await page.locator("tr.host-row").first().waitFor();
  }, 30_000);

  test("focus is a ring, hover a tint: on cards and rows they look different", async () => {
    for (const view of ["cards", "table"] as const) {
      await page.goto(`${stack.url}/#/?view=${view}`);
      const selector =
        view === "cards" ? 'a.card[data-severity="fine"]' : 'tr.host-row[data-severity="fine"]';
      const items = page.locator(selector);
      await items.nth(2).waitFor();
      await page.mouse.move(0, 0);
      const style = (i: number) =>
        items.nth(i).evaluate((el) => {
          const s = getComputedStyle(el);
          return {
            outline: `${s.outlineStyle} ${s.outlineWidth}`,
            background: s.backgroundColor,
            focusVisible: el.matches(":focus-visible"),
          };
        });
      const plain = await style(1);
      // Focus by keyboard: an arrow key from the first item.
      await items.nth(0).focus();
      await page.keyboard.press(view === "cards" ? "ArrowRight" : "ArrowDown");
      const focusedId = await page.evaluate(() =>
        document.activeElement?.getAttribute("data-host"),
      );
      const focusedIndex = (
        await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-host")))
      ).indexOf(focusedId ?? "");
      const focused = await style(focusedIndex);
      expect(focused.focusVisible).toBe(true);
      expect(focused.outline).toBe("solid 3px");
      expect(focused.background).toBe(plain.background);
      // Hover another one: a background, no ring.
      await items.nth(2).hover();
      const hovered = await style(2);
      expect(hovered.outline).not.toContain("solid");
      expect(hovered.background).not.toBe(plain.background);
      expect(plain.outline).not.toContain("solid");
      await page.screenshot({ path: artifact(`focus-and-hover-${view}.png`) });
    }
  }, 30_000);

  test("no sideways scroll at 1440 and 2560 px; at 360 px the table keeps status, host, CPU and memory", async () => {
    for (const width of [1440, 2560, 360]) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 } });
      const p = await ctx.newPage();
      await p.goto(stack.url);
      await logIn(p, stack.token);
      await card(p, GPU_HOST).locator(".badge.status-online").waitFor();
      expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
      await showView(p, "table");
      await p.waitForTimeout(500);
      expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
      // Nothing cut off inside the table's frame either.
      const cut = await p.locator(".fleet-table").evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(cut).toBeLessThanOrEqual(0);
      const shown = await p
        .locator("thead th")
        .evaluateAll((ths) =>
          ths
            .filter((th) => (th as HTMLElement).offsetWidth > 0)
            .map((th) => th.querySelector("button")?.getAttribute("data-column")),
        );
      if (width === 360) expect(shown).toEqual(["status", "name", "cpu", "memory"]);
      else expect(shown).toEqual(COLUMNS);
      await p.screenshot({ path: artifact(`fleet-table-${width}.png`) });
      await ctx.close();
    }
  }, 60_000);
});
