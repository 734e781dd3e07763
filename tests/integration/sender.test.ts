// The real sender process on loopback: every route, auth, bad input, limits and coalescing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import * as v from "valibot";
import { HostInfoSchema, SECTIONS, SnapshotSchema } from "../../src/protocol/index.ts";
import {
  auth,
  type RunningProcess,
  startSender,
  TOKEN,
  WsClient,
  wsUrl,
} from "../helpers/process.ts";
import { externalTool } from "../helpers/tools.ts";

const promtool = externalTool("promtool", "prometheus", "the promtool check of /metrics");

let sender: RunningProcess;

beforeAll(async () => {
  sender = await startSender();
});
afterAll(async () => {
  await sender.stop();
});

// The routes' answers, errors and auth refusals are checked in-process, without a socket, in
// tests/unit/server/http-routes.test.ts; here what needs the real process and server.
describe("HTTP routes", () => {
  test("/api/v1/snapshot of this machine: every section, valid against the schema", async () => {
    const res = await fetch(`${sender.url}/api/v1/snapshot`, { headers: auth });
    expect(res.status).toBe(200);
    const snap = v.parse(SnapshotSchema, await res.json());
    for (const section of SECTIONS) expect(section in snap).toBe(true);
    expect(snap.cpu?.cores_pct.length).toBeGreaterThan(0);
    expect(snap.memory?.total_bytes).toBeGreaterThan(0);
    expect(snap.processes?.count).toBeGreaterThan(0);
    expect(snap.processes?.top.length).toBeGreaterThan(0);
  });

  test("/api/v1/info of this machine", async () => {
    const res = await fetch(`${sender.url}/api/v1/info`, { headers: auth });
    const info = v.parse(HostInfoSchema, await res.json());
    expect(info.cpu_cores).toBeGreaterThan(0);
    expect(info.platform).toBe("linux");
  });

  test.skipIf(promtool.skip)("/metrics of this machine passes promtool check metrics", async () => {
    const text = await (await fetch(`${sender.url}/metrics`, { headers: auth })).text();
    const check = Bun.spawnSync([promtool.path(), "check", "metrics"], {
      stdin: new TextEncoder().encode(text),
    });
    const output = check.stdout.toString() + check.stderr.toString();
    expect(output).toBe("");
    expect(check.exitCode).toBe(0);
  });

  test("a body over Bun's request limit is refused with 413", async () => {
    const res = await fetch(`${sender.url}/api/v1/info`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "x".repeat(200 * 1024),
    });
    expect(res.status).toBe(413);
  });
});

describe("WebSocket /api/v1/ws", () => {
  test("snapshot and info requests are answered with their id", async () => {
    const ws = new WsClient(wsUrl(sender.url, "/api/v1/ws"), { headers: auth });
    await ws.opened();
    ws.send(JSON.stringify({ id: 1, type: "snapshot", sections: ["cpu", "network"] }));
    const snap = await ws.nextJson();
    expect(snap.id).toBe(1);
    expect(snap.type).toBe("snapshot");
    const data = v.parse(SnapshotSchema, snap.data);
    expect(data.cpu).toBeTruthy();
    expect("memory" in data).toBe(false);
    ws.send(JSON.stringify({ id: 2, type: "info" }));
    const info = await ws.nextJson();
    expect(info.id).toBe(2);
    v.parse(HostInfoSchema, info.data);
    ws.close();
  });

  test("processes: the first answer at once with averages since start, then over the real interval", async () => {
    const fresh = await startSender();
    const ws = new WsClient(wsUrl(fresh.url, "/api/v1/ws"), { headers: auth });
    try {
      await ws.opened();
      ws.send(JSON.stringify({ id: 1, type: "snapshot", sections: ["processes"] }));
      const first = v.parse(SnapshotSchema, (await ws.nextJson()).data).processes;
      expect(first?.cpu_window_ms).toBeNull();
      expect(first?.top.some((p) => (p.mem_pct ?? 0) > 0 && (p.threads ?? 0) >= 1)).toBe(true);
      expect(first?.top.some((p) => p.kernel === true)).toBe(true); // this Linux has kthreadd's
      await Bun.sleep(1_000);
      ws.send(JSON.stringify({ id: 2, type: "snapshot", sections: ["processes"] }));
      const second = v.parse(SnapshotSchema, (await ws.nextJson()).data).processes;
      expect(second?.cpu_window_ms).toBeGreaterThanOrEqual(1_000);
      expect(second?.cpu_window_ms).toBeLessThan(10_000);
    } finally {
      ws.close();
      await fresh.stop();
    }
  });

  test("the token may come as the hwm.token.<t> subprotocol, and hwm.v1 is echoed", async () => {
    const ws = new WsClient(wsUrl(sender.url, "/api/v1/ws"), {
      protocols: ["hwm.v1", `hwm.token.${TOKEN}`],
    });
    await ws.opened();
    expect(ws.ws.protocol).toBe("hwm.v1");
    ws.send(JSON.stringify({ id: 7, type: "info" }));
    expect((await ws.nextJson()).id).toBe(7);
    ws.close();
  });

  test("upgrades without credentials, with a bad token, a token in the URL or a foreign Origin are refused before the upgrade", async () => {
    const upgradeHeaders = {
      connection: "Upgrade",
      upgrade: "websocket",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    };
    const url = `${sender.url}/api/v1/ws`;
    expect((await fetch(url, { headers: upgradeHeaders })).status).toBe(401);
    expect(
      (
        await fetch(url, {
          headers: { ...upgradeHeaders, authorization: "Bearer wrong-wrong-wrong-wrong" },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await fetch(url, {
          headers: { ...upgradeHeaders, "sec-websocket-protocol": "hwm.v1, hwm.token.wrong" },
        })
      ).status,
    ).toBe(401);
    expect((await fetch(`${url}?token=${TOKEN}`, { headers: upgradeHeaders })).status).toBe(400);
    expect(
      (
        await fetch(url, {
          headers: { ...upgradeHeaders, ...auth, origin: "https://evil.example" },
        })
      ).status,
    ).toBe(403);
    // A browser on the node's own origin is fine.
    const host = new URL(sender.url).host;
    const ws = new WsClient(wsUrl(sender.url, "/api/v1/ws"), {
      headers: { ...auth, origin: `http://${host}` },
    });
    await ws.opened();
    ws.close();
  });

  test("bad messages get an error reply and the connection stays open", async () => {
    const ws = new WsClient(wsUrl(sender.url, "/api/v1/ws"), { headers: auth });
    await ws.opened();
    const cases: [string, string, number | null][] = [
      ["{not json", "bad_json", null],
      [JSON.stringify({ id: 3, type: "reboot" }), "bad_message", 3],
      [JSON.stringify({ id: "4", type: "info" }), "bad_message", null],
      [JSON.stringify({ id: 5, type: "snapshot", sections: ["cpu", "gpu"] }), "bad_message", 5],
      [JSON.stringify({ id: 6, type: "snapshot", sections: "cpu" }), "bad_message", 6],
      [JSON.stringify([1, 2, 3]), "bad_message", null],
    ];
    for (const [message, code, id] of cases) {
      ws.send(message);
      const reply = (await ws.nextJson()) as {
        id: number | null;
        type: string;
        error: { code: string; message: string };
      };
      expect(reply.type).toBe("error");
      expect(reply.error.code).toBe(code);
      expect(reply.id).toBe(id);
      expect(reply.error.message.length).toBeGreaterThan(5);
    }
    ws.ws.send(new Uint8Array([1, 2, 3]));
    expect(((await ws.nextJson()) as { error: { code: string } }).error.code).toBe("bad_message");
    ws.send(JSON.stringify({ id: 9, type: "info" }));
    expect((await ws.nextJson()).id).toBe(9);
    ws.close();
  });

  test("an oversize frame closes with 1009; others keep being served", async () => {
    const ws = new WsClient(wsUrl(sender.url, "/api/v1/ws"), { headers: auth });
    await ws.opened();
    ws.send(JSON.stringify({ id: 1, type: "info", pad: "x".repeat(100 * 1024) }));
    expect((await ws.waitClosed()).code).toBe(1009);
    const res = await fetch(`${sender.url}/api/v1/info`, { headers: auth });
    expect(res.status).toBe(200);
  });

  test("a flood is rate limited, then closed with 1008, while another client is served", async () => {
    const flood = new WsClient(wsUrl(sender.url, "/api/v1/ws"), { headers: auth });
    const calm = new WsClient(wsUrl(sender.url, "/api/v1/ws"), { headers: auth });
    await Promise.all([flood.opened(), calm.opened()]);
    for (let i = 0; i < 400 && !flood.closed; i++) flood.send("{}");
    const closed = await flood.waitClosed();
    expect(closed.code).toBe(1008);
    // The flood saw a rate_limited error among its replies.
    let sawRateLimit = false;
    for (;;) {
      const reply = await flood.next(100).catch(() => null);
      if (reply === null) break;
      if (reply.includes("rate_limited")) sawRateLimit = true;
    }
    expect(sawRateLimit).toBe(true);
    calm.send(JSON.stringify({ id: 1, type: "info" }));
    expect((await calm.nextJson()).id).toBe(1);
    calm.close();
  });
});

describe("sampling", () => {
  test("concurrent requesters share one sample", async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${sender.url}/api/v1/snapshot?sections=cpu,memory,processes`, {
          headers: auth,
        }).then((r) => r.json()),
      ),
    );
    const snaps = responses.map((r) => v.parse(SnapshotSchema, r));
    const first = snaps[0];
    for (const snap of snaps) {
      expect(snap.cpu).toEqual(first?.cpu);
      expect(snap.memory).toEqual(first?.memory);
      expect(snap.processes).toEqual(first?.processes);
    }
  });

  test("nobody asking, nothing read: no sampling and no timers between requests", async () => {
    // A sender of its own: no keep-alive connections left open by the other tests.
    const quiet = await startSender();
    try {
      const pid = quiet.proc.pid;
      /** read() calls so far (every /proc or /sys sample is some) and main-thread wake-ups. */
      const activity = () => {
        const io = readFileSync(`/proc/${pid}/io`, "utf8");
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const field = (text: string, key: string) =>
          Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(text)?.[1]);
        return {
          reads: field(io, "syscr"),
          wakeups: field(status, "voluntary_ctxt_switches"),
        };
      };
      // Every section once, over HTTP, WebSocket and /metrics, so any loop they could start runs.
      // No keep-alive: an idle HTTP connection has the server's own 1 s timer wake the thread.
      const once = { headers: auth, keepalive: false };
      await fetch(`${quiet.url}/api/v1/snapshot`, once).then((r) => r.json());
      await fetch(`${quiet.url}/metrics`, once).then((r) => r.text());
      const ws = new WsClient(wsUrl(quiet.url, "/api/v1/ws"), { headers: auth });
      await ws.opened();
      ws.send(JSON.stringify({ id: 1, type: "snapshot" }));
      await ws.next();
      ws.close();
      await Bun.sleep(300); // let the replies and the close settle
      const before = activity();
      await Bun.sleep(3_000);
      const after = activity();
      expect(after.reads - before.reads).toBe(0);
      // A timer firing once a second would wake the main thread 3 times.
      expect(after.wakeups - before.wakeups).toBeLessThanOrEqual(1);
    } finally {
      await quiet.stop();
    }
  }, 15_000);
});
