// Alert rules in the real receiver, polling a real sender with nobody watching: a rule fires and
// its webhook is called, the fleet carries the firing alert, a host that goes away fires "host
// offline" after its duration and resolves when it is back; with history on, a firing alert
// survives a restart without a second notification.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { AlertsResponseSchema, HostsResponseSchema } from "../../src/protocol/index.ts";
import { auth, type RunningProcess, startHwm, TOKEN } from "../helpers/process.ts";

const dir = mkdtempSync(join(tmpdir(), "hwm-alerts-"));
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Hook {
  kind: string;
  rule: string;
  host: string;
  message: string;
}

/** A webhook target on loopback that keeps every body it receives. */
function webhook(): { url: string; calls: Hook[] } {
  const calls: Hook[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      calls.push((await req.json()) as Hook);
      return new Response("ok");
    },
  });
  cleanups.push(() => server.stop(true));
  return { url: `http://127.0.0.1:${server.port}/hook`, calls };
}

async function startSender(port = 0): Promise<RunningProcess & { port: number }> {
  const sender = await startHwm([
    ...["--role", "sender", "--listen", `127.0.0.1:${port}`, "--token", TOKEN, "--no-tui"],
  ]);
  cleanups.push(() => sender.stop());
  return Object.assign(sender, { port: Number(new URL(sender.url).port) });
}

async function startReceiver(name: string, text: string): Promise<RunningProcess> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const receiver = await startHwm(["--config", path, "--no-tui", "--log-level", "debug"]);
  cleanups.push(() => receiver.stop());
  return receiver;
}

async function until<T>(what: string, read: () => T | Promise<T>, check: (value: T) => boolean) {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 10 s`);
    await Bun.sleep(100);
    value = await read();
  }
  return value;
}

const getJson = async (url: string) => (await fetch(url, { headers: auth })).json();

const config = (senderUrl: string, hookUrl: string, extra = "") => `
role = "receiver"
listen = "127.0.0.1:0"
token = "${TOKEN}"
interval_ms = 200
${extra}
[[senders]]
name = "pve"
url = "${senderUrl}"

[[notifiers]]
name = "hook"
type = "webhook"
url = "${hookUrl}"

[[alerts]]
name = "up"
when = "uptime_s > 0"
notify = ["hook"]

[[alerts]]
name = "gone"
when = "host offline"
for = "1s"
notify = ["hook"]
`;

describe("alerts in the receiver", () => {
  test("rules are evaluated with nobody watching; offline fires after its duration and resolves", async () => {
    const hook = webhook();
    const sender = await startSender();
    const receiver = await startReceiver(
      "alerts.toml",
      config(sender.url, hook.url, "[history]\ninterval_ms = 300\n"),
    );
    // Nobody watches, yet the rules are evaluated: "up" fires at once.
    await until(
      "the up alert notified",
      () => hook.calls,
      (c) => c.some((h) => h.rule === "up"),
    );
    expect(hook.calls.find((h) => h.rule === "up")).toMatchObject({ kind: "firing", host: "pve" });

    const hosts = v.parse(HostsResponseSchema, await getJson(`${receiver.url}/api/v1/hosts`));
    expect(hosts.features?.alerts).toBe(true);
    expect(hosts.hosts[0]?.alerts?.map((a) => a.rule)).toEqual(["up"]);

    const goneAtMs = Date.now();
    await sender.stop();
    const fired = await until(
      "the offline alert notified",
      () => hook.calls.filter((h) => h.rule === "gone"),
      (c) => c.length > 0,
    );
    expect(fired[0]).toMatchObject({ kind: "firing", host: "pve" });
    expect(fired[0]?.message).toContain("pve");
    // Not before the host was offline for its `for` (offline takes two missed polls, then 1 s).
    expect(Date.now() - goneAtMs).toBeGreaterThanOrEqual(1000);

    const alerts = v.parse(AlertsResponseSchema, await getJson(`${receiver.url}/api/v1/alerts`));
    const gone = alerts.rules.find((r) => r.name === "gone");
    expect(gone?.state).toBe("firing");
    expect(gone?.instances[0]?.host).toBe("pve");
    expect(alerts.events.some((e) => e.rule === "gone" && e.kind === "firing")).toBe(true);

    await startSender(sender.port);
    await until(
      "the offline alert resolved",
      () => hook.calls.filter((h) => h.rule === "gone").map((h) => h.kind),
      (kinds) => kinds.includes("resolved"),
    );
  }, 30_000);

  test("with history on, a firing alert survives a restart without a second notification", async () => {
    const hook = webhook();
    const sender = await startSender();
    const text = config(
      sender.url,
      hook.url,
      `[history]\nenabled = true\ninterval_ms = 300\npath = "${join(dir, "alerts.db")}"\n`,
    );
    const first = await startReceiver("restart.toml", text);
    await until(
      "the up alert notified",
      () => hook.calls,
      (c) => c.some((h) => h.rule === "up"),
    );
    await first.stop();
    const second = await startReceiver("restart.toml", text);
    await until(
      "up firing again after the restart",
      async () => v.parse(HostsResponseSchema, await getJson(`${second.url}/api/v1/hosts`)),
      (h) => h.hosts[0]?.status === "online" && (h.hosts[0]?.alerts?.length ?? 0) > 0,
    );
    await Bun.sleep(600);
    expect(hook.calls.filter((h) => h.rule === "up" && h.kind === "firing")).toHaveLength(1);
  });
});
