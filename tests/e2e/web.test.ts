// The web dashboard in a real headless Chromium against the real receiver and real senders on
// loopback: login, live values, a sender dying, the host page, keyboard, phone width, session
// expiry and reconnect, logout, and the tab's lifecycle. Screenshots go to artifacts/web/.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startHwm } from "../helpers/process.ts";
import { artifact, browserSkipReason, launchChromium } from "./web/browser.ts";
import { card, changes, horizontalOverflow, logIn } from "./web/page.ts";
import { type Stack, startStack } from "./web/stack.ts";

const skip = browserSkipReason();
if (skip) console.warn(`web dashboard e2e: ${skip}`);

describe("dashboard HTTP", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ senders: [] });
  }, 30_000);
  afterAll(() => stack?.stop());

  test("/ is the HTML (revalidated); its hashed JS and CSS are immutable, public, and need no login", async () => {
    const res = await fetch(`${stack.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    // The page loads and connects to its own origin only, and no other site can frame it.
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    expect(assets.some((a) => a?.endsWith(".js"))).toBe(true);
    expect(assets.some((a) => a?.endsWith(".css"))).toBe(true);
    for (const asset of assets) {
      const chunk = await fetch(`${stack.url}${asset}`);
      expect(chunk.status).toBe(200);
      expect(chunk.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(chunk.headers.get("content-type")).toMatch(/javascript|css/);
    }
    // The data stays behind the login.
    expect((await fetch(`${stack.url}/api/v1/hosts`)).status).toBe(401);
  });
});

describe.skipIf(skip !== null)("dashboard in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ senders: ["alpha", "beta"], fake: 10, intervalMs: 500 }),
      launchChromium(),
    ]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test("log in: a wrong token is refused with a message, the right one shows every host live", async () => {
    await page.goto(stack.url);
    await page.locator("#token").fill("not-the-token");
    await page.locator("button[type=submit]").click();
    await page.getByRole("alert").filter({ hasText: "Wrong token" }).waitFor();
    await logIn(page, stack.token);
    for (const id of ["alpha", "beta", "vm-001", "vm-010"]) {
      await card(page, id).locator(".badge.status-online").waitFor();
    }
    expect(await page.locator("a.card").count()).toBe(12);
    await page.locator('[data-testid="link-state"]', { hasText: "Live" }).waitFor();
    expect(await page.locator("button", { hasText: "Log out" }).count()).toBe(1);
  }, 30_000);

  test("values change live: the clock of the last frame and the CPU sparkline move", async () => {
    const updated = page.locator('[data-testid="updated"]');
    const spark = card(page, "alpha").locator("svg.spark path");
    const before = await updated.textContent();
    const pathBefore = await spark.getAttribute("d");
    await changes(() => updated.textContent(), before);
    const pathAfter = await changes(() => spark.getAttribute("d"), pathBefore);
    expect((pathAfter ?? "").split(/[ML]/).length).toBeGreaterThan(
      (pathBefore ?? "").split(/[ML]/).length,
    );
    // Numbers carry units.
    expect(await card(page, "alpha").locator('[data-testid="cpu"]').textContent()).toMatch(
      /^\d+(\.\d)?%$/,
    );
    expect(await card(page, "alpha").textContent()).toMatch(/(KiB|MiB|GiB) \/ .*(MiB|GiB)/);
  }, 30_000);

  test("sort and filter: filtering by name narrows the cards, sorting by name orders them", async () => {
    await page.locator("select").nth(1).selectOption("name");
    const ids = await page
      .locator("a.card")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-host")));
    expect(ids).toEqual(
      [...ids].sort((a, b) => String(a).localeCompare(String(b), undefined, { numeric: true })),
    );
    await page.locator('input[type="search"]').fill("alph");
    await page.waitForFunction(() => document.querySelectorAll("a.card").length === 1);
    await page.locator('input[type="search"]').fill("");
    await page.waitForFunction(() => document.querySelectorAll("a.card").length === 12);
    await page.locator("select").nth(1).selectOption("problems");
  }, 20_000);

  test("a killed sender turns offline on the page, with when it was last seen, in words and colour", async () => {
    await stack.senders.get("beta")?.stop();
    const beta = card(page, "beta");
    await page.waitForSelector('a.card[data-host="beta"][data-status="offline"]', {
      timeout: 10_000,
    });
    const text = (await beta.textContent()) ?? "";
    expect(text).toContain("OFFLINE");
    // Why, in words: the receiver's last_error.
    expect(text).toContain("connection refused: nothing listens on");
    expect(text).toMatch(/last seen \d+(s|m)\u00a0ago/);
    expect(await beta.getAttribute("class")).toContain("sev-bad");
    // Problems first: the dead host leads the list.
    expect(await page.locator("a.card").first().getAttribute("data-host")).toBe("beta");
  }, 20_000);

  test("keyboard: Tab to a card, Enter opens the host with processes and charts; Esc returns", async () => {
    // Let the sparklines fill for the screenshot (the README's come from scripts/screenshots.ts).
    await page.waitForTimeout(4000);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(0, 0);
    await page.screenshot({ path: artifact("fleet-1280.png") });

    await card(page, "vm-001").focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-host"))).toBe(
      "vm-002",
    );
    await card(page, "alpha").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/host\/alpha$/);
    await page.locator("h1", { hasText: "alpha" }).waitFor();
    const rows = page.locator('[data-testid="processes"] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(3);
    expect(await page.locator(".charts .uplot").count()).toBeGreaterThanOrEqual(4);
    for (const title of [
      "CPU",
      "Memory",
      "Network (bytes per second)",
      "Disk I/O (bytes per second)",
    ]) {
      await page.locator(`[data-testid="chart-${title}"] canvas`).waitFor();
    }
    expect(await page.locator(".cores li").count()).toBeGreaterThan(0);
    await page.screenshot({ path: artifact("host-1280.png"), fullPage: true });
    await page.keyboard.press("Escape");
    await page.waitForURL((url) => !url.hash.includes("/host/"));
    await page.locator("ul.cards").waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-host"))).toBe(
      "alpha",
    );
  }, 120_000);

  test("a disk's use is df's: the same percentage for / on the host page and on the card", async () => {
    // The sender reads this machine: df of its root is the reference.
    const df = Bun.spawnSync(["df", "--output=pcent", "/"], { timeout: 5000 });
    const expected = /(\d+)%/.exec(df.stdout.toString())?.[1];
    expect(expected).toBeDefined();
    await page.goto(`${stack.url}/#/host/alpha`);
    const root = page
      .locator('[data-testid="table-Disks"] tbody tr')
      .filter({ has: page.locator("td", { hasText: /^\/$/ }) });
    await root.first().waitFor();
    expect(await root.first().textContent()).toContain(`${expected}%`);
  }, 20_000);

  test("the processes table sorts by every column, both ways", async () => {
    await page.goto(`${stack.url}/#/host/alpha`);
    const table = page.locator('[data-testid="processes"]');
    await table.locator("tbody tr").first().waitFor();
    const columns = ["pid", "name", "user", "cpu", "mem", "state"];
    for (const [index, column] of columns.entries()) {
      const header = table.locator(`button.sort[data-column="${column}"]`);
      for (const click of [1, 2]) {
        await header.click();
        const direction = await table.locator("th").nth(index).getAttribute("aria-sort");
        expect(direction === "ascending" || direction === "descending").toBe(true);
        // Read the rendered column and the sort value the table used, in one go (a frame may land between reads otherwise).
        const cells = await table
          .locator(`tbody tr td:nth-child(${index + 1})`)
          .evaluateAll((tds) => tds.map((td) => td.textContent ?? ""));
        const numeric = column === "pid" || column === "cpu" || column === "mem";
        if (numeric) {
          const values = cells.map(parseQuantity);
          const sorted = [...values].sort((a, b) => (direction === "ascending" ? a - b : b - a));
          expect(values).toEqual(sorted);
        } else {
          // Compared with the browser's own collation, the one the table sorted with.
          const ordered = await page.evaluate(
            ({ cells, ascending }) =>
              cells.every((c, i) => {
                const prev = cells[i - 1];
                if (prev === undefined) return true;
                const order = prev.localeCompare(c, undefined, { numeric: true });
                return ascending ? order <= 0 : order >= 0;
              }),
            { cells, ascending: direction === "ascending" },
          );
          expect(ordered).toBe(true);
        }
        expect(click).toBeGreaterThan(0);
      }
    }
  }, 30_000);

  test("the processes table filters by name, user or PID, and hides kernel threads", async () => {
    await page.goto(`${stack.url}/#/host/alpha`);
    const table = page.locator('[data-testid="processes"]');
    await table.locator("tbody tr").first().waitFor();
    const names = () =>
      table
        .locator("tbody tr td:nth-child(2)")
        .evaluateAll((tds) => tds.map((td) => td.textContent ?? ""));
    // This machine's kernel threads (kworker/…, ksoftirqd/…) are listed among the top by CPU.
    const kernelLike = (n: string) =>
      /^(kworker|ksoftirqd|rcu_|migration|kthreadd|idle_inject)/.test(n);
    await page.locator('[data-testid="hide-kernel"]').check();
    await page.waitForTimeout(1_200); // a fresh process frame
    expect((await names()).filter(kernelLike)).toEqual([]);
    await page.locator('[data-testid="hide-kernel"]').uncheck();
    // Filter by the name of the first row: every row left has it in its name, user or PID.
    const wanted = ((await names())[0] ?? "").toLowerCase();
    expect(wanted).not.toBe("");
    await page.locator('[data-testid="process-filter"]').fill(wanted);
    await page.waitForTimeout(300);
    const rows = await table
      .locator("tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.querySelectorAll("td")].slice(0, 3).map((td) => td.textContent ?? ""),
        ),
      );
    expect(rows.length).toBeGreaterThan(0);
    for (const cells of rows) {
      expect(cells.some((c) => c.toLowerCase().includes(wanted))).toBe(true);
    }
    await page.locator('[data-testid="process-filter"]').fill("");
  }, 20_000);

  test("an idle process holding 413 MiB is listed, and near the top when sorting by memory", async () => {
    // Idle (it sleeps), so only the sender's top by memory can list it.
    const hog = Bun.spawn(
      [
        process.execPath,
        "-e",
        "globalThis.hog = Buffer.alloc(413 * 2 ** 20, 1); setInterval(() => {}, 60_000)",
      ],
      { stdin: "ignore", stdout: "ignore", stderr: "ignore" },
    );
    try {
      await Bun.sleep(1_500); // the buffer is filled
      await page.goto(`${stack.url}/#/host/alpha`);
      const table = page.locator('[data-testid="processes"]');
      await table.locator("tbody tr").first().waitFor();
      const memory = table.locator('button.sort[data-column="mem"]');
      await memory.click();
      if ((await table.locator("th").nth(4).getAttribute("aria-sort")) !== "descending")
        await memory.click();
      const row = table.locator("tbody tr").filter({
        has: page.locator("td:nth-child(1)", { hasText: new RegExp(`^${hog.pid}$`) }),
      });
      await row.waitFor({ timeout: 10_000 });
      const cells = await row.locator("td").evaluateAll((tds) => tds.map((td) => td.textContent));
      expect(parseQuantity(cells[4] ?? "")).toBeGreaterThanOrEqual(413 * 1024 ** 2);
      // Among the largest on this machine (the test runner and Chromium may be larger).
      const pids = await table
        .locator("tbody tr td:nth-child(1)")
        .evaluateAll((tds) => tds.map((td) => td.textContent));
      expect(pids.indexOf(String(hog.pid))).toBeLessThan(5);
    } finally {
      hog.kill();
      await hog.exited;
    }
  }, 30_000);

  test("a phone (360 px) renders the fleet and a host without sideways scrolling", async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 780 },
      deviceScaleFactor: 2,
    });
    const p = await phone.newPage();
    await p.goto(stack.url);
    await logIn(p, stack.token);
    await card(p, "alpha").locator(".badge.status-online").waitFor();
    await p.waitForTimeout(1500);
    await p.mouse.move(0, 0);
    expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
    await p.screenshot({ path: artifact("fleet-360.png") });
    await card(p, "alpha").click();
    await p.locator('[data-testid="processes"] tbody tr').first().waitFor();
    await p.waitForTimeout(1000);
    expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
    await p.screenshot({ path: artifact("host-360.png"), fullPage: true });
    await phone.close();
    // The dark scheme follows the system's.
    const dark = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: "dark",
    });
    const d = await dark.newPage();
    await d.goto(stack.url);
    await logIn(d, stack.token);
    await card(d, "alpha").locator(".badge.status-online").waitFor();
    const background = await d.evaluate(
      () => getComputedStyle(document.documentElement).backgroundColor,
    );
    expect(background).toBe("rgb(14, 17, 22)");
    await d.screenshot({ path: artifact("fleet-1280-dark.png") });
    await dark.close();
  }, 30_000);

  test("a lost receiver shows 'Reconnecting…'; back, the session survived the restart: no login", async () => {
    await page.goto(stack.url);
    await page.locator("ul.cards").waitFor();
    const restarted = stack.restartReceiver(2500);
    await page.locator(".banner", { hasText: "Reconnecting…" }).waitFor();
    // Nobody knows what the hosts are now: the cards are dimmed and say how old they are, not
    // "online"; the age grows while the link is down.
    const alpha = card(page, "alpha");
    await alpha.locator('[data-testid="last-update"]').waitFor();
    expect(await alpha.getAttribute("class")).toContain("dated");
    expect(await alpha.locator(".badge.status-online").count()).toBe(0);
    const age = async () =>
      Number(
        /last update (\d+)s/.exec(
          (await alpha.locator('[data-testid="last-update"]').textContent()) ?? "",
        )?.[1],
      );
    const first = await age();
    await page.waitForFunction(
      (before) => {
        const el = document.querySelector('a.card[data-host="alpha"] [data-testid="last-update"]');
        return Number(/last update (\d+)s/.exec(el?.textContent ?? "")?.[1]) > before;
      },
      first,
      { timeout: 5000 },
    );
    await page.screenshot({ path: artifact("reconnecting-1280.png") });
    await restarted;
    await page
      .locator(".banner", { hasText: "Reconnecting…" })
      .waitFor({ state: "detached", timeout: 20_000 });
    await card(page, "alpha").locator(".badge.status-online").waitFor();
    expect(await page.locator("#token").count()).toBe(0);
  }, 40_000);

  test("logged out in another tab: this tab's live connection closes and the login comes back", async () => {
    const other = await context.newPage();
    await other.goto(stack.url);
    await other.locator("ul.cards").waitFor();
    await other.locator("button", { hasText: "Log out" }).click();
    await other.locator("#token").waitFor();
    await other.close();
    await page
      .locator(".notice", { hasText: "Your session has expired — log in again." })
      .waitFor({ timeout: 10_000 });
    await logIn(page, stack.token);
    await card(page, "alpha").locator(".badge.status-online").waitFor();
  }, 30_000);

  test("log out: back to the login form, and a reload stays there", async () => {
    await page.locator("button", { hasText: "Log out" }).click();
    await page.locator(".notice", { hasText: "You have logged out." }).waitFor();
    await page.reload();
    await page.locator("#token").waitFor();
    expect(await page.locator("a.card").count()).toBe(0);
  }, 20_000);

  test("closing the tab ends the consumer: the receiver stops polling", async () => {
    await logIn(page, stack.token);
    await card(page, "alpha").locator(".badge.status-online").waitFor();
    const stopsBefore = (stack.receiver.log().match(/polling stopped/g) ?? []).length;
    await page.close();
    const deadline = Date.now() + 5000;
    let stops = stopsBefore;
    while (Date.now() < deadline && stops === stopsBefore) {
      await Bun.sleep(100);
      stops = (stack.receiver.log().match(/polling stopped/g) ?? []).length;
    }
    expect(stops).toBe(stopsBefore + 1);
  }, 20_000);
});

describe.skipIf(skip !== null)("dashboard of a node without a token", () => {
  test("opens without a login, shows the local host, offers no logout", async () => {
    const [node, browser] = await Promise.all([
      startHwm(["--role", "both", "--listen", "127.0.0.1:0", "--no-tui", "--interval-ms", "500"]),
      launchChromium(),
    ]);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(node.url);
      await page.locator("a.card .badge.status-online").waitFor({ timeout: 10_000 });
      expect(await page.locator("#token").count()).toBe(0);
      expect(await page.locator("button", { hasText: "Log out" }).count()).toBe(0);
      await page.locator("a.card").click();
      await page.locator("dd", { hasText: "this receiver (in-process)" }).waitFor();
      await page.locator('[data-testid="processes"] tbody tr').first().waitFor();
    } finally {
      await browser.close();
      await node.stop();
    }
  }, 30_000);
});

/** "12.3 MiB", "4.0 %", "1234" → a number in one unit, for comparing a sorted column. */
function parseQuantity(text: string): number {
  const match = /([\d.,]+)\s*(B|KiB|MiB|GiB|TiB|%)?/.exec(text.replace(/\u00a0/g, " "));
  if (!match?.[1]) return Number.NaN;
  const value = Number(match[1].replace(/,/g, ""));
  const scale =
    { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, "%": 1 }[match[2] ?? "B"] ??
    1;
  return value * scale;
}
