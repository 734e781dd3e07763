// The real receiver with real sender processes on loopback: the demand-driven lifecycle, host
// statuses for dead, hung, garbage and wrong-token senders, config reload, and consumer auth.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import {
  FleetMessageSchema,
  type HostState,
  HostsResponseSchema,
} from "../../src/protocol/index.ts";
import { auth, type RunningProcess, startHwm, TOKEN, WsClient, wsUrl } from "../helpers/process.ts";
import { selfSignedCert } from "../helpers/tls.ts";
import { externalTool } from "../helpers/tools.ts";

const INTERVAL_MS = 300;
const promtool = externalTool(
  "promtool",
  "prometheus",
  "the promtool check of the receiver's /metrics",
);
const dir = mkdtempSync(join(tmpdir(), "hwm-receiver-"));
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function startSender(port = 0, token = TOKEN): Promise<RunningProcess & { port: number }> {
  const sender = await startHwm([
    "--role",
    "sender",
    "--listen",
    `127.0.0.1:${port}`,
    "--token",
    token,
    "--no-tui",
    "--log-level",
    "debug",
  ]);
  cleanups.push(() => sender.stop());
  return Object.assign(sender, { port: Number(new URL(sender.url).port) });
}

function writeConfig(
  name: string,
  senders: { name: string; url: string; token?: string }[],
  extra = "",
): string {
  const path = join(dir, name);
  const entries = senders
    .map(
      (s) =>
        `[[senders]]\nname = "${s.name}"\nurl = "${s.url}"\n${s.token ? `token = "${s.token}"\n` : ""}`,
    )
    .join("\n");
  writeFileSync(
    path,
    `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = ${INTERVAL_MS}\n${extra}\n${entries}`,
  );
  return path;
}

async function startReceiver(config: string): Promise<RunningProcess> {
  const receiver = await startHwm(["--config", config, "--no-tui"]);
  cleanups.push(() => receiver.stop());
  return receiver;
}

const requestsSeen = (sender: RunningProcess) =>
  (sender.log().match(/ws request type=snapshot/g) ?? []).length;

/** Reads fleet frames until `accept` likes one, within a bounded number of frames. */
async function frameWhere(
  ws: WsClient,
  accept: (hosts: Map<string, HostState>) => boolean,
  maxFrames = 30,
) {
  for (let i = 0; i < maxFrames; i++) {
    const message = await ws.nextJson(5000);
    if (message.type !== "fleet") continue;
    const frame = v.parse(FleetMessageSchema, message);
    const hosts = new Map(frame.hosts.map((h) => [h.id, h]));
    if (accept(hosts)) return hosts;
  }
  throw new Error(`no frame matched within ${maxFrames} frames`);
}

function consumer(receiver: RunningProcess): WsClient {
  const ws = new WsClient(wsUrl(receiver.url, "/api/v1/live"), { headers: auth });
  cleanups.push(() => ws.close());
  return ws;
}

describe("lifecycle", () => {
  test("no polling while nobody watches; starts with the first consumer, stops within an interval of the last", async () => {
    const sender = await startSender();
    const receiver = await startReceiver(
      writeConfig("lifecycle.toml", [{ name: "one", url: sender.url }]),
    );
    await Bun.sleep(INTERVAL_MS * 4);
    expect(requestsSeen(sender)).toBe(0);

    const ws = consumer(receiver);
    await ws.opened();
    const hosts = await frameWhere(ws, (h) => h.get("one")?.status === "online");
    const one = hosts.get("one");
    expect(one?.info?.cpu_cores).toBeGreaterThan(0);
    expect(one?.snapshot?.cpu).toBeTruthy();
    expect(one?.snapshot?.processes).toBeUndefined(); // heavy sections only for watchers
    expect(requestsSeen(sender)).toBeGreaterThan(0);

    ws.close();
    await ws.waitClosed();
    await Bun.sleep(INTERVAL_MS + 100);
    const after = requestsSeen(sender);
    await Bun.sleep(INTERVAL_MS * 4);
    expect(requestsSeen(sender)).toBe(after);
    expect(receiver.log()).toContain("polling stopped");
  });

  test("watching a host brings its processes; others do not get asked for them", async () => {
    const a = await startSender();
    const b = await startSender();
    const receiver = await startReceiver(
      writeConfig("watch.toml", [
        { name: "a", url: a.url },
        { name: "b", url: b.url },
      ]),
    );
    const ws = consumer(receiver);
    await ws.opened();
    await frameWhere(ws, (h) => h.get("a")?.status === "online");
    ws.send(JSON.stringify({ type: "watch", host: "a", sections: ["processes"] }));
    let detail: Record<string, unknown> | null = null;
    for (let i = 0; i < 20 && !detail; i++) {
      const message = await ws.nextJson();
      if (message.type === "host") detail = message;
    }
    expect(detail?.id).toBe("a");
    const snapshot = detail?.snapshot as { processes?: { top: unknown[] } };
    expect(snapshot.processes?.top.length).toBeGreaterThan(0);
    // Bad watch requests are answered with an error, and the stream goes on.
    ws.send(JSON.stringify({ type: "watch", host: "nope" }));
    ws.send("{");
    const errors: string[] = [];
    for (let i = 0; i < 20 && errors.length < 2; i++) {
      const message = await ws.nextJson();
      if (message.type === "error") errors.push((message.error as { code: string }).code);
    }
    expect(errors).toEqual(["bad_message", "bad_json"]);
  });
});

describe("host status", () => {
  test("killed → offline within 2 intervals, restarted → online, without touching the receiver", async () => {
    const sender = await startSender();
    const receiver = await startReceiver(
      writeConfig("restart.toml", [{ name: "s", url: sender.url }]),
    );
    const ws = consumer(receiver);
    await ws.opened();
    await frameWhere(ws, (h) => h.get("s")?.status === "online");
    const killedAtMs = Date.now();
    await sender.stop();
    const gone = await frameWhere(ws, (h) => h.get("s")?.status === "offline");
    expect(Date.now() - killedAtMs).toBeLessThan(INTERVAL_MS * 2 + 700);
    const s = gone.get("s");
    expect(s?.last_seen_ms).toBeGreaterThan(0); // last-known values are kept
    expect(s?.snapshot?.cpu).toBeTruthy();
    expect(s?.last_error).toBeTruthy();
    await startSender(sender.port);
    await frameWhere(ws, (h) => h.get("s")?.status === "online", 60);
    // Headless, each status change is one log line.
    expect(receiver.log()).toMatch(/warn host status host=s from=online to=(stale|offline)/);
    expect(receiver.log()).toMatch(/info host status host=s from=offline to=online/);
  });

  test("a hung sender, a garbage sender and a wrong token: offline, incompatible, unauthorized; the good one stays fresh", async () => {
    const good = await startSender();
    const wrongToken = await startSender(0, "another-token-0123456789abcdefghij");
    const hung = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    cleanups.push(() => hung.stop(true));
    const garbage = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (req, srv) => (srv.upgrade(req) ? undefined : new Response("ok")),
      websocket: {
        message(ws, msg) {
          const id = (JSON.parse(String(msg)) as { id: number }).id;
          ws.send(JSON.stringify({ id, type: "snapshot", data: { v: 99, cpu: "hot" } }));
        },
      },
    });
    cleanups.push(() => garbage.stop(true));
    const receiver = await startReceiver(
      writeConfig("bad.toml", [
        { name: "good", url: good.url },
        { name: "hung", url: `http://127.0.0.1:${hung.port}` },
        { name: "garbage", url: `http://127.0.0.1:${garbage.port}` },
        { name: "wrong", url: wrongToken.url },
      ]),
    );
    const ws = consumer(receiver);
    await ws.opened();
    const hosts = await frameWhere(
      ws,
      (h) =>
        h.get("hung")?.status === "offline" &&
        h.get("garbage")?.status === "incompatible" &&
        h.get("wrong")?.status === "unauthorized" &&
        h.get("good")?.status === "online",
    );
    expect(hosts.get("garbage")?.last_error).toContain("unexpected payload");
    expect(hosts.get("wrong")?.last_error).toContain("401");
    // The good host's data stays fresh although others hang: sampled within the last 2 intervals.
    for (let i = 0; i < 3; i++) {
      const frame = await frameWhere(ws, () => true);
      const ageMs = Date.now() - (frame.get("good")?.snapshot?.ts_ms ?? 0);
      expect(ageMs).toBeLessThan(INTERVAL_MS * 2);
    }
  });
});

describe("config reload", () => {
  test("a host added to the file appears; a bad edit keeps the last good config", async () => {
    const a = await startSender();
    const b = await startSender();
    const path = writeConfig("reload.toml", [{ name: "a", url: a.url }]);
    const receiver = await startReceiver(path);
    const ws = consumer(receiver);
    await ws.opened();
    await frameWhere(ws, (h) => h.get("a")?.status === "online" && !h.has("b"));
    writeConfig("reload.toml", [
      { name: "a", url: a.url },
      { name: "b", url: b.url },
    ]);
    await frameWhere(ws, (h) => h.get("b")?.status === "online");
    writeFileSync(path, "role = \n");
    await Bun.sleep(600);
    expect(receiver.log()).toContain("config reload failed; keeping the last good config");
    await frameWhere(ws, (h) => h.get("a")?.status === "online" && h.get("b")?.status === "online");
  });
});

describe("consumer auth", () => {
  let receiver: RunningProcess;
  const upgrade = {
    connection: "Upgrade",
    upgrade: "websocket",
    "sec-websocket-version": "13",
    "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
  };

  test("upgrades with a foreign Origin, no credentials, a bad token or a token in the URL are refused before the upgrade", async () => {
    receiver = await startReceiver(
      writeConfig("auth.toml", [], `[dashboard]\nallowed_origins = ["https://dash.example"]\n`),
    );
    const url = `${receiver.url}/api/v1/live`;
    expect((await fetch(url, { headers: upgrade })).status).toBe(401);
    expect(
      (
        await fetch(url, {
          headers: { ...upgrade, authorization: "Bearer wrong-wrong-wrong-wrong" },
        })
      ).status,
    ).toBe(401);
    expect((await fetch(`${url}?token=${TOKEN}`, { headers: upgrade })).status).toBe(400);
    expect(
      (await fetch(url, { headers: { ...upgrade, ...auth, origin: "https://evil.example" } }))
        .status,
    ).toBe(403);
    const allowed = new WsClient(wsUrl(receiver.url, "/api/v1/live"), {
      headers: { ...auth, origin: "https://dash.example" },
    });
    await allowed.opened();
    allowed.close();
  });

  test("a browser logs in for an HttpOnly SameSite=Strict cookie, uses it, and logs out", async () => {
    const wrong = await fetch(`${receiver.url}/api/v1/session`, {
      method: "POST",
      body: JSON.stringify({ token: "nope" }),
    });
    expect(wrong.status).toBe(401);
    const bad = await fetch(`${receiver.url}/api/v1/session`, { method: "POST", body: "token=1" });
    expect(bad.status).toBe(400);
    const foreign = await fetch(`${receiver.url}/api/v1/session`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(foreign.status).toBe(403);

    const login = await fetch(`${receiver.url}/api/v1/session`, {
      method: "POST",
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get("set-cookie") ?? "";
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(";")[0] ?? "";
    const hosts = await fetch(`${receiver.url}/api/v1/hosts`, { headers: { cookie } });
    expect(hosts.status).toBe(200);
    v.parse(HostsResponseSchema, await hosts.json());
    const ws = new WsClient(wsUrl(receiver.url, "/api/v1/live"), { headers: { cookie } });
    await ws.opened();
    ws.close();

    await fetch(`${receiver.url}/api/v1/session`, { method: "DELETE", headers: { cookie } });
    const after = await fetch(`${receiver.url}/api/v1/hosts`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { message: string } }).error.message).toContain(
      "session has expired",
    );
  });

  test("failed logins back off with 429 and Retry-After", async () => {
    // Every request of this file comes from 127.0.0.1, and a right token does not wipe the
    // failures counted before it: a receiver of its own starts with a clean record.
    const receiver = await startReceiver(writeConfig("backoff.toml", []));
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${receiver.url}/api/v1/session`, {
        method: "POST",
        body: JSON.stringify({ token: `guess-${i}` }),
      });
      statuses.push(res.status);
      retryAfter ??= res.headers.get("retry-after");
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Only failures are slowed: the right token still logs in from the same address, and the
    // receiver's own routes still answer the right token.
    const right = await fetch(`${receiver.url}/api/v1/session`, {
      method: "POST",
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(right.status).toBe(200);
    expect((await fetch(`${receiver.url}/api/v1/hosts`, { headers: auth })).status).toBe(200);
  });
});

describe("role both and /metrics", () => {
  test("role both shows its own host, read in-process, beside remote senders; /metrics labels every host", async () => {
    const remote = await startSender();
    const config = writeConfig("both.toml", [
      { name: "remote", url: remote.url },
      { name: "gone", url: "http://127.0.0.1:9" },
    ]);
    writeFileSync(
      config,
      (await Bun.file(config).text()).replace('role = "receiver"', 'role = "both"'),
    );
    const node = await startReceiver(config);
    // Nobody watches, so each GET polls once; the first poll after idle may miss its deadline
    // while the sender takes its CPU baseline, so allow a few.
    let body = v.parse(
      HostsResponseSchema,
      await (await fetch(`${node.url}/api/v1/hosts`, { headers: auth })).json(),
    );
    for (
      let i = 0;
      i < 10 && body.hosts.some((h) => h.id !== "gone" && h.status !== "online");
      i++
    ) {
      await Bun.sleep(INTERVAL_MS);
      body = v.parse(
        HostsResponseSchema,
        await (await fetch(`${node.url}/api/v1/hosts`, { headers: auth })).json(),
      );
    }
    const local = body.hosts.find((h) => h.url === "local");
    expect(local?.status).toBe("online");
    expect(local?.id).toBe(local?.info?.hostname ?? "");
    expect(body.hosts.find((h) => h.id === "remote")?.status).toBe("online");
    // The node is still a sender too.
    expect(
      (await fetch(`${node.url}/api/v1/snapshot?sections=cpu`, { headers: auth })).status,
    ).toBe(200);
    const metrics = await (await fetch(`${node.url}/metrics`, { headers: auth })).text();
    expect(metrics).toContain('hwm_up{host="remote"} 1');
    expect(metrics).toContain('hwm_up{host="gone"} 0');
    expect(metrics).toMatch(/hwm_memory_total_bytes\{host="remote"\} \d+/);
    expect(metrics).toContain(`hwm_up{host="${local?.id}"} 1`);
    if (!promtool.skip) {
      const check = Bun.spawnSync([promtool.path(), "check", "metrics"], {
        stdin: new TextEncoder().encode(metrics),
      });
      expect(check.stdout.toString() + check.stderr.toString()).toBe("");
    }
  });
});

describe("TLS to senders", () => {
  test("a pinned fingerprint or a CA file trusts a self-signed sender; a wrong pin is unauthorized", async () => {
    const { cert, key, fingerprint } = selfSignedCert(dir);
    const senderConfig = join(dir, "tls-sender.toml");
    writeFileSync(
      senderConfig,
      `role = "sender"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\n[tls]\ncert = "${cert}"\nkey = "${key}"\n`,
    );
    const sender = await startHwm(["--config", senderConfig, "--no-tui"]);
    cleanups.push(() => sender.stop());
    expect(sender.url).toStartWith("https://");
    const wrongPin = `sha256:${"ab".repeat(32)}`;
    const path = join(dir, "tls-receiver.toml");
    writeFileSync(
      path,
      `role = "receiver"\nlisten = "127.0.0.1:0"\ntoken = "${TOKEN}"\ninterval_ms = ${INTERVAL_MS}\n` +
        `[[senders]]\nname = "pinned"\nurl = "${sender.url}"\nfingerprint = "${fingerprint}"\n` +
        `[[senders]]\nname = "ca"\nurl = "${sender.url}"\nca = "${cert}"\n` +
        `[[senders]]\nname = "wrong-pin"\nurl = "${sender.url}"\nfingerprint = "${wrongPin}"\n` +
        `[[senders]]\nname = "unverified"\nurl = "${sender.url}"\n`,
    );
    const receiver = await startReceiver(path);
    const ws = consumer(receiver);
    await ws.opened();
    const hosts = await frameWhere(
      ws,
      (h) =>
        h.get("pinned")?.status === "online" &&
        h.get("ca")?.status === "online" &&
        h.get("wrong-pin")?.status === "unauthorized" &&
        h.get("unverified")?.status !== "online",
      40,
    );
    expect(hosts.get("wrong-pin")?.last_error).toContain("not the pinned");
    expect(hosts.get("unverified")?.last_error).toBeTruthy();
  });
});
