// The dashboard inside the compiled executable: run from a bare directory (no source, no
// node_modules beside it), "/" and its chunks come out of the binary with the right cache
// headers, and the page works in Chromium.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { build } from "../../scripts/build.ts";
import { browserSkipReason, launchChromium } from "./web/browser.ts";

const browserSkip = browserSkipReason();
if (browserSkip) console.warn(`skipped: the compiled dashboard in Chromium: ${browserSkip}`);
const dir = mkdtempSync(join(tmpdir(), "hwm-web-binary-"));
const bin = join(dir, "hwm");
let proc: Subprocess<"ignore", "ignore", "pipe"> | null = null;
let url = "";

beforeAll(async () => {
  const built = await build("linux-x64", mkdtempSync(join(tmpdir(), "hwm-web-dist-")), "webtest");
  copyFileSync(built.file, bin);
  Bun.spawnSync(["chmod", "755", bin]);
  proc = Bun.spawn(
    [bin, "--role", "both", "--listen", "127.0.0.1:0", "--no-tui", "--interval-ms", "500"],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "" },
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    },
  );
  let log = "";
  const reader = (async () => {
    for await (const chunk of proc.stderr) log += new TextDecoder().decode(chunk);
  })();
  for (let i = 0; i < 400 && !url; i++) {
    url = /listening url=(\S+)/.exec(log)?.[1] ?? "";
    if (!url) await Bun.sleep(25);
  }
  void reader;
  if (!url) throw new Error(`the binary did not start:\n${log}`);
}, 180_000);

afterAll(() => proc?.kill("SIGKILL"));

describe("dashboard in the compiled binary", () => {
  test("serves / (no-cache) and its hashed chunks (immutable) from inside the executable", async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("etag")).toBeTruthy();
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map(
      (m) => m[1] ?? "",
    );
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const chunk = await fetch(`${url}${asset}`);
      expect(chunk.status).toBe(200);
      expect(chunk.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect((await chunk.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  test.skipIf(browserSkip !== null)(
    "the page loads and shows the local host in Chromium",
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(url);
        await page.locator("a.card .badge.status-online").waitFor({ timeout: 10_000 });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    30_000,
  );
});
