// The README's screenshots: `hwm demo`'s simulated fleet and a receiver polling it (from source),
// a headless Chromium in light and dark, and the pictures written to docs/: the fleet as cards
// and as a table at 1440 px and on a 360 px phone, the Proxmox host's page (guests, containers,
// health) at 1440 and 360 px. docs/ holds only what this script writes.
// Usage: node_modules/.bin/bun scripts/screenshots.ts [--wait-s 60]
//   (the wait lets the cards' sparklines fill; HWM_CHROMIUM overrides /usr/bin/chromium)
// With --lab 127.0.0.1:19101 it instead watches the lab host held by `LAB_HOLD_S=600
// scripts/lab/run.sh` (docs/LAB.md), with the lab's alert rules, and writes docs/lab-host.png.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { DEMO_HOSTS } from "../src/commands/demo.ts";
import { fleetConfigToml, startFleet } from "../src/demo/fleet.ts";
import { CHROMIUM_ARGS } from "./bench/lib.ts";

const ROOT = resolve(import.meta.dir, "..");
const DOCS = resolve(ROOT, "docs");
const CHROMIUM = process.env.HWM_CHROMIUM ?? "/usr/bin/chromium";
/** The host whose page is shown: the Proxmox host, whose page has every panel. */
const HOST_SHOWN = DEMO_HOSTS.find((h) => h.character === "hypervisor")?.name ?? "pve";

/** A receiver from source on a free loopback port; resolves with its URL once it listens. */
async function startReceiver(config: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const proc = Bun.spawn(
    [process.execPath, resolve(ROOT, "src/main.ts"), "--config", config, "--no-tui"],
    {
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    },
  );
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
  };
  let log = "";
  const decoder = new TextDecoder();
  const deadline = Date.now() + 15_000;
  const reader = proc.stderr.getReader();
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    log += decoder.decode(value, { stream: true });
    const url = /listening url=(\S+)/.exec(log)?.[1];
    if (url) {
      reader.releaseLock();
      void proc.stderr.pipeTo(new WritableStream()); // keep draining its log
      return { url, stop };
    }
  }
  await stop();
  throw new Error(`the receiver did not start:\n${log}`);
}

interface Shot {
  name: string;
  hash: string;
  fullPage: boolean;
}

const DESKTOP = (scheme: string): Shot[] => [
  { name: `fleet-cards-${scheme}.png`, hash: "#/?view=cards", fullPage: false },
  { name: `fleet-table-${scheme}.png`, hash: "#/?view=table", fullPage: false },
  { name: `host-${scheme}.png`, hash: `#/host/${HOST_SHOWN}`, fullPage: true },
];
const PHONE = (scheme: string): Shot[] => [
  { name: `fleet-phone-${scheme}.png`, hash: "#/?view=cards", fullPage: false },
  { name: `fleet-table-phone-${scheme}.png`, hash: "#/?view=table", fullPage: false },
  { name: `host-phone-${scheme}.png`, hash: `#/host/${HOST_SHOWN}`, fullPage: false },
];

/** One tab per screen size, open from the start: its sparklines and charts hold what it saw. */
async function openTab(browser: Browser, url: string, width: number, scale: number) {
  const context = await browser.newContext({
    viewport: { width, height: width < 500 ? 780 : 900 },
    deviceScaleFactor: scale,
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator("a.card").first().waitFor();
  return page;
}

async function shoot(page: Page, shots: Shot[], scheme: "light" | "dark"): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  for (const shot of shots) {
    await page.evaluate((hash) => {
      location.hash = hash;
    }, shot.hash);
    await page
      .locator(shot.hash.includes("/host/") ? "h1" : "a.card, tr.host-row")
      .first()
      .waitFor();
    // Charts and processes come a frame or two after the page.
    await page.waitForTimeout(2500);
    await page.mouse.move(0, 0);
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      scrollTo(0, 0);
    });
    await page.screenshot({ path: resolve(DOCS, shot.name), fullPage: shot.fullPage });
    console.log(`docs/${shot.name}`);
  }
}

/** The lab's sender (scripts/lab/inside.sh) and the rules whose alerts its page shows. */
function labConfigToml(address: string): string {
  const rules = [
    ["disk-failing", "health.disks[*].ok < 1"],
    ["failed-units", "health.failed_units > 0"],
    ["busy-guest", "guests[*].cpu_pct > 40"],
    ["busy-container", "containers[*].cpu_pct > 30"],
  ];
  return [
    'role = "receiver"',
    'listen = "127.0.0.1:0"',
    "[[senders]]",
    'name = "lab"',
    `url = "http://${address}"`,
    'token = "lab-token-0123456789abcdef0123456789abcdef"',
    ...rules.flatMap(([name, when]) => ["[[alerts]]", `name = "${name}"`, `when = "${when}"`]),
  ].join("\n");
}

async function shootLab(address: string, waitS: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "hwm-lab-screenshot-"));
  const config = join(dir, "lab.toml");
  writeFileSync(config, labConfigToml(address));
  const receiver = await startReceiver(config);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${receiver.url}#/host/lab`);
    await page.locator("h1").first().waitFor();
    await Bun.sleep(waitS * 1000);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: resolve(DOCS, "lab-host.png"), fullPage: true });
    console.log("docs/lab-host.png");
  } finally {
    await browser.close();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "wait-s": { type: "string", default: "60" }, lab: { type: "string" } },
  });
  if (values.lab) return shootLab(values.lab, Number(values["wait-s"]));
  const senderToken = randomBytes(32).toString("base64url");
  const fleet = await startFleet({ senders: 0, hosts: DEMO_HOSTS, token: senderToken });
  const dir = mkdtempSync(join(tmpdir(), "hwm-screenshots-"));
  let receiver: Awaited<ReturnType<typeof startReceiver>> | null = null;
  let browser: Browser | null = null;
  try {
    const config = join(dir, "demo.toml");
    // No dashboard token: a receiver on loopback needs no login, as in `hwm demo`.
    writeFileSync(
      config,
      fleetConfigToml(fleet.senders, { senderToken, listen: "127.0.0.1:0", intervalMs: 1000 }),
    );
    receiver = await startReceiver(config);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const desktop = await openTab(browser, receiver.url, 1440, 1);
    const phone = await openTab(browser, receiver.url, 360, 2);
    await Bun.sleep(Number(values["wait-s"]) * 1000);
    for (const scheme of ["light", "dark"] as const) {
      await shoot(desktop, DESKTOP(scheme), scheme);
      await shoot(phone, PHONE(scheme), scheme);
    }
  } finally {
    await browser?.close();
    await receiver?.stop();
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
