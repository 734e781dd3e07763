// The alertmanager notifier against a real Alertmanager (Debian's prometheus-alertmanager): a
// firing alert shows up there with our labels, and disappears once resolved. CI installs it;
// elsewhere the test is skipped with a reason when the binary is missing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { AlertEngine } from "../../src/alerts/engine.ts";
import { host, memoryLog, notifier, rule } from "../helpers/alerts.ts";

const BINARY = Bun.which("prometheus-alertmanager") ?? Bun.which("alertmanager");
if (!BINARY && process.env.CI) {
  throw new Error("prometheus-alertmanager is missing: .ci/run installs the Debian package");
}
if (!BINARY) console.warn("prometheus-alertmanager not installed: alertmanager test skipped");

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
  startsAt: string;
}

let proc: Subprocess<"ignore", "ignore", "pipe"> | null = null;
let baseUrl = "";
const dir = mkdtempSync(join(tmpdir(), "hwm-alertmanager-"));

/** Alertmanager cannot listen on port 0: take a port the kernel just handed out. */
function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    await Bun.sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function alerts(): Promise<AmAlert[]> {
  const res = await fetch(`${baseUrl}/api/v2/alerts`);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as AmAlert[];
}

beforeAll(async () => {
  if (!BINARY) return;
  const config = join(dir, "alertmanager.yml");
  // One receiver that does nothing: the test reads Alertmanager's own API.
  writeFileSync(config, 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n');
  const port = freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  proc = Bun.spawn(
    [
      BINARY,
      `--config.file=${config}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ],
    { stdin: "ignore", stdout: "ignore", stderr: "pipe" },
  );
  await until("Alertmanager to be ready", async () => {
    if (proc?.exitCode !== null) throw new Error(`alertmanager exited (${proc?.exitCode})`);
    const res = await fetch(`${baseUrl}/-/ready`);
    return res.ok ? true : null;
  });
});

afterAll(async () => {
  proc?.kill();
  await proc?.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!BINARY)("a real Alertmanager", () => {
  test("receives a firing alert with our labels, then its end", async () => {
    const { log, lines } = memoryLog();
    const engine = new AlertEngine({
      rules: [rule("disks[*].used_pct >= 90", { name: "disk-full", notify: ["am"] })],
      notifiers: [notifier("alertmanager", baseUrl, "am")],
      log,
      dashboardUrl: "http://hwm.test:7070",
    });
    const firedMs = Date.now();
    engine.evaluate([host("pve-web", { disks: { "/var": 95, "/": 10 } })], firedMs);

    const [alert, ...others] = await until("the alert in Alertmanager", async () => {
      const list = await alerts();
      return list.length > 0 ? list : null;
    });
    expect(others).toEqual([]);
    expect(alert?.labels).toEqual({
      alertname: "disk-full",
      host: "pve-web",
      key: "/var",
      severity: "warning",
    });
    expect(alert?.annotations.summary).toBe("pve-web: disks[/var].used_pct is 95.0 % (>= 90)");
    expect(alert?.status.state).toBe("active");
    expect(Date.parse(alert?.startsAt ?? "")).toBe(firedMs);

    engine.evaluate([host("pve-web", { disks: { "/var": 50, "/": 10 } })], Date.now());
    await until("the alert to end", async () => ((await alerts()).length === 0 ? true : null));
    await engine.stop();
    expect(lines.filter((l) => l.includes("given up"))).toEqual([]);
  }, 30_000);
});
