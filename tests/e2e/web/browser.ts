// Headless Chromium for the dashboard's e2e tests and benchmark: Debian's /usr/bin/chromium
// driven by playwright-core (no downloaded browser builds). Tests skip only outside CI when it
// is missing; in CI a missing browser is a failure.
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../../../scripts/bench/lib.ts";

export const CHROMIUM = process.env.HWM_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = resolve(import.meta.dir, "../../../artifacts/web");

/** Why the browser tests cannot run here, or null when they can (and must). */
export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM) || process.env.CI) return null;
  return `${CHROMIUM} is missing (apt-get install chromium): browser tests skipped outside CI`;
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export function artifact(name: string): string {
  return resolve(ARTIFACTS, name);
}
