// The real receiver's credentials: the dashboard's own secret apart from the fleet token,
// sessions that survive a restart, a token change on reload, the warnings at start, and a
// sender certificate made by `hwm tls init` that the receiver pins.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { HostsResponseSchema } from "../../src/protocol/index.ts";
import { type RunningProcess, runHwm, startHwm, WsClient, wsUrl } from "../helpers/process.ts";

const FLEET = "fleet-token-0123456789abcdefghij";
const DASHBOARD = "dashboard-token-0123456789abcdef";
const NEW_DASHBOARD = "dashboard-token-new-0123456789ab";
const dir = mkdtempSync(join(tmpdir(), "hwm-security-"));
/** Each test's own state directory, so sessions.json is not shared with other test files. */
const stateEnv = (name: string) => ({ STATE_DIRECTORY: join(dir, `state-${name}`) });
const running: RunningProcess[] = [];
afterAll(async () => {
  for (const p of running.reverse()) await p.stop();
});

async function start(args: string[], env: Record<string, string> = {}): Promise<RunningProcess> {
  const node = await startHwm([...args, "--no-tui"], env);
  running.push(node);
  return node;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function login(url: string, token: string): Promise<{ status: number; cookie: string }> {
  const res = await fetch(`${url}/api/v1/session`, {
    method: "POST",
    body: JSON.stringify({ token }),
  });
  return { status: res.status, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await Bun.sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the dashboard's own secret", () => {
  test("the receiver's routes and the login take it, not the fleet token; the sender routes take the fleet token", async () => {
    const config = join(dir, "both.toml");
    writeFileSync(
      config,
      `role = "both"\nlisten = "127.0.0.1:0"\ntoken = "${FLEET}"\n[dashboard]\ntoken = "${DASHBOARD}"\n`,
    );
    const node = await start(["--config", config], stateEnv("both"));
    const hosts = (headers: Record<string, string>) =>
      fetch(`${node.url}/api/v1/hosts`, { headers }).then((r) => r.status);
    expect(await hosts(bearer(FLEET))).toBe(401);
    expect(await hosts(bearer(DASHBOARD))).toBe(200);
    expect((await login(node.url, FLEET)).status).toBe(401);
    const session = await login(node.url, DASHBOARD);
    expect(session.status).toBe(200);
    expect(await hosts({ cookie: session.cookie })).toBe(200);
    // This node's own sender: asked by other receivers with the fleet token, and only with it.
    const snapshot = (headers: Record<string, string>) =>
      fetch(`${node.url}/api/v1/snapshot?sections=cpu`, { headers }).then((r) => r.status);
    expect(await snapshot(bearer(FLEET))).toBe(200);
    expect(await snapshot(bearer(DASHBOARD))).toBe(401);
    expect(await snapshot({ cookie: session.cookie })).toBe(401);
    const refused = new WsClient(wsUrl(node.url, "/api/v1/live"), {
      protocols: ["hwm.v1", `hwm.token.${FLEET}`],
    });
    await expect(refused.opened()).rejects.toThrow();
    const live = new WsClient(wsUrl(node.url, "/api/v1/live"), {
      protocols: ["hwm.v1", `hwm.token.${DASHBOARD}`],
    });
    await live.opened();
    live.close();
  }, 20_000);
});

describe("sessions", () => {
  test("a login survives a restart of the receiver; a logout too", async () => {
    const config = join(dir, "restart.toml");
    writeFileSync(config, `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${FLEET}"\n`);
    const env = stateEnv("restart");
    const first = await start(["--config", config], env);
    const kept = await login(first.url, FLEET);
    const ended = await login(first.url, FLEET);
    await fetch(`${first.url}/api/v1/session`, {
      method: "DELETE",
      headers: { cookie: ended.cookie },
    });
    await first.stop();
    const second = await start(["--config", config], env);
    const status = (cookie: string) =>
      fetch(`${second.url}/api/v1/hosts`, { headers: { cookie } }).then((r) => r.status);
    expect(await status(kept.cookie)).toBe(200);
    expect(await status(ended.cookie)).toBe(401);
  }, 20_000);
});

describe("a token change on reload", () => {
  test("the old secret is refused, the new one accepted, sockets of the old one closed, senders asked with the new fleet token", async () => {
    const NEW_FLEET = "fleet-token-new-0123456789abcdef";
    const sender = await start(["--role", "sender", "--listen", "127.0.0.1:0"], {
      HWM_TOKEN: NEW_FLEET,
    });
    const config = join(dir, "reload.toml");
    const write = (fleet: string, dashboard: string) =>
      writeFileSync(
        config,
        `role = "receiver"\nlisten = "127.0.0.1:${port}"\ninterval_ms = 300\ntoken = "${fleet}"\n` +
          `[dashboard]\ntoken = "${dashboard}"\n[[senders]]\nname = "s"\nurl = "${sender.url}"\n`,
      );
    let port = 0;
    write(FLEET, DASHBOARD);
    const receiver = await start(["--config", config], stateEnv("reload"));
    port = Number(new URL(receiver.url).port);
    const hostStatus = async (token: string) => {
      const res = await fetch(`${receiver.url}/api/v1/hosts`, { headers: bearer(token) });
      if (res.status !== 200) return `http ${res.status}`;
      return v.parse(HostsResponseSchema, await res.json()).hosts[0]?.status ?? "none";
    };
    await waitFor(
      async () => (await hostStatus(DASHBOARD)) === "unauthorized",
      "the old fleet token refused by the sender",
    );
    const old = new WsClient(wsUrl(receiver.url, "/api/v1/live"), { headers: bearer(DASHBOARD) });
    await old.opened();
    const session = await login(receiver.url, DASHBOARD);

    write(NEW_FLEET, NEW_DASHBOARD);
    await waitFor(() => /token changed/.test(receiver.log()), "the reload");
    expect((await old.waitClosed()).code).toBe(1008);
    expect(await hostStatus(DASHBOARD)).toBe("http 401");
    expect(
      (await fetch(`${receiver.url}/api/v1/hosts`, { headers: { cookie: session.cookie } })).status,
    ).toBe(401);
    expect((await login(receiver.url, DASHBOARD)).status).toBe(401);
    expect((await login(receiver.url, NEW_DASHBOARD)).status).toBe(200);
    await waitFor(
      async () => (await hostStatus(NEW_DASHBOARD)) === "online",
      "the sender asked with the new fleet token",
    );
  }, 30_000);
});

describe("warnings at start", () => {
  test("--token on the command line, a token over plain http, a dashboard login every sender knows", async () => {
    const config = join(dir, "warn.toml");
    writeFileSync(
      config,
      `role = "receiver"\nlisten = "127.0.0.1:0"\n[[senders]]\nname = "far"\nurl = "http://10.255.255.1:7070"\n`,
    );
    const node = await start(["--config", config, "--token", FLEET], stateEnv("warn"));
    const log = node.log();
    expect(log).toContain("warn --token is visible to every user of this machine");
    expect(log).toContain("warn sender far is asked over plain http");
    expect(log).toContain("warn the dashboard login takes the fleet token");
    expect(log).not.toContain(FLEET);
  }, 20_000);
});

describe("hwm tls init", () => {
  test("makes a key and certificate a sender serves and the receiver pins by the printed fingerprint", async () => {
    const tlsDir = join(dir, "tls");
    const init = await runHwm(["tls", "init", "--dir", tlsDir, "--san", "127.0.0.1"]);
    expect(init.code).toBe(0);
    const fingerprint = /^fingerprint: (sha256:[0-9a-f]{64})$/m.exec(init.stdout)?.[1];
    expect(fingerprint).toBeDefined();
    const printed = await runHwm(["tls", "fingerprint", join(tlsDir, "cert.pem")]);
    expect(printed.stdout.trim()).toBe(fingerprint ?? "");

    const senderConfig = join(dir, "tls-sender.toml");
    writeFileSync(
      senderConfig,
      `role = "sender"\nlisten = "127.0.0.1:0"\n[tls]\ncert = "${join(tlsDir, "cert.pem")}"\nkey = "${join(tlsDir, "key.pem")}"\n`,
    );
    const sender = await start(["--config", senderConfig], { HWM_TOKEN: FLEET });
    expect(sender.url).toStartWith("https://");
    expect(sender.log()).toContain(`fingerprint=${fingerprint}`);

    const receiverConfig = (pin: string) => {
      const path = join(dir, `tls-receiver-${pin.slice(-4)}.toml`);
      writeFileSync(
        path,
        `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${FLEET}"\n[dashboard]\ntoken = "${DASHBOARD}"\n` +
          `[[senders]]\nname = "s"\nurl = "${sender.url}"\nfingerprint = "${pin}"\n`,
      );
      return path;
    };
    const statusOf = async (receiver: RunningProcess) => {
      const res = await fetch(`${receiver.url}/api/v1/hosts`, { headers: bearer(DASHBOARD) });
      return v.parse(HostsResponseSchema, await res.json()).hosts[0];
    };
    const pinned = await start(["--config", receiverConfig(fingerprint ?? "")], stateEnv("pinned"));
    await waitFor(
      async () => (await statusOf(pinned))?.status === "online",
      "the pinned sender online",
    );
    const wrongPin = `sha256:${"0".repeat(64)}`;
    const wrong = await start(["--config", receiverConfig(wrongPin)], stateEnv("wrong"));
    await waitFor(
      async () => (await statusOf(wrong))?.status === "unauthorized",
      "the wrong pin refused",
    );
    expect((await statusOf(wrong))?.last_error ?? "").toContain(fingerprint ?? "");
  }, 40_000);
});
