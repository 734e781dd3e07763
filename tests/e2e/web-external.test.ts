// docs/examples/external-dashboard.html served from other origins (other loopback ports): it
// receives fleet frames when its origin is in dashboard.allowed_origins, and is refused when not.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import type { Server } from "bun";
import type { Browser, Page } from "playwright-core";
import { ROOT } from "../helpers/process.ts";
import { browserSkipReason, launchChromium } from "./web/browser.ts";
import { type Stack, startStack } from "./web/stack.ts";

const skip = browserSkipReason();
if (skip) console.warn(`skipped: external dashboard e2e: ${skip}`);
const EXAMPLE = resolve(ROOT, "docs/examples/external-dashboard.html");

/** A plain static server for the example page: a different origin from the receiver's. */
function servePage(): Server<undefined> {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => new Response(Bun.file(EXAMPLE)),
  });
}

describe.skipIf(skip !== null)("external dashboard example", () => {
  let allowed: Server<undefined>;
  let foreign: Server<undefined>;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    allowed = servePage();
    foreign = servePage();
    [stack, browser] = await Promise.all([
      startStack({
        senders: ["ext"],
        intervalMs: 500,
        allowedOrigins: [`http://127.0.0.1:${allowed.port}`],
      }),
      launchChromium(),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    allowed?.stop(true);
    foreign?.stop(true);
  });

  async function connect(origin: Server<undefined>, token: string): Promise<Page> {
    const page = await browser.newPage();
    const receiver = stack.url.replace(/^http/, "ws");
    await page.goto(
      `http://127.0.0.1:${origin.port}/?receiver=${encodeURIComponent(`${receiver}/api/v1/live`)}`,
    );
    await page.locator("#token").fill(token);
    await page.locator("button[type=submit]").click();
    return page;
  }

  test("from an allowed origin with the token: live fleet frames", async () => {
    const page = await connect(allowed, stack.token);
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 10_000 });
    await page
      .locator('tr[data-host="ext"] td', { hasText: "online" })
      .waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => Number(document.getElementById("frames")?.textContent) >= 3);
    // The token never shows up in the page's URL.
    expect(page.url()).not.toContain(stack.token);
    await page.close();
  }, 30_000);

  test("from an allowed origin with a wrong token: refused", async () => {
    const page = await connect(allowed, "wrong-token-0123456789abcdefghij");
    await page.locator('#status[data-state="refused"]').waitFor({ timeout: 10_000 });
    expect(await page.locator("#frames").textContent()).toBe("0");
    await page.close();
  }, 30_000);

  test("from an origin that is not allowed, even with the right token: refused", async () => {
    const page = await connect(foreign, stack.token);
    await page.locator('#status[data-state="refused"]').waitFor({ timeout: 10_000 });
    expect(await page.locator("#frames").textContent()).toBe("0");
    expect(stack.receiver.log()).toContain("websocket refused: foreign origin");
    await page.close();
  }, 30_000);
});
