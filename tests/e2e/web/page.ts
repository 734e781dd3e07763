// Page-level steps the dashboard tests share: log in, find a host's card, read what it shows.
import type { Locator, Page } from "playwright-core";

export async function logIn(page: Page, token: string): Promise<void> {
  await page.locator("#token").fill(token);
  await page.locator("button[type=submit]").click();
  await page.locator("ul.cards").waitFor();
}

export function card(page: Page, id: string): Locator {
  return page.locator(`a.card[data-host="${id}"]`);
}

/** The document is no wider than the viewport: nothing scrolls sideways. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Resolves when `read` returns something other than `before` (polling), or throws at the deadline. */
export async function changes<T>(read: () => Promise<T>, before: T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = await read();
    if (now !== before) return now;
    await Bun.sleep(100);
  }
  throw new Error(`value stayed ${String(before)} for ${timeoutMs} ms`);
}
