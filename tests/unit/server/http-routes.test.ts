// The HTTP routes in-process (app.request, no socket): a sender's routes over node_exporter's
// captured tree, the JSON errors, body limits and auth refusals; a receiver's fleet and history
// routes. What needs a real server (WebSockets, Bun's own limits, the process) stays in
// tests/integration.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as v from "valibot";
import { createCollector } from "../../../src/collect/index.ts";
import {
  HostInfoSchema,
  HostsResponseSchema,
  SECTIONS,
  SnapshotSchema,
} from "../../../src/protocol/index.ts";
import { HISTORY_OFF } from "../../../src/receiver/history-routes.ts";
import { INFO, type InProcessNode, inProcessNode } from "../../helpers/app.ts";
import { externalTool } from "../../helpers/tools.ts";
import { NODE_EXPORTER, withRealSymlinks } from "../collect/fixtures.ts";

const TOKEN = "routes-token-0123456789abcdefghijklmn";
const auth = { authorization: `Bearer ${TOKEN}` };
const BASE = "http://127.0.0.1:7070";
const promtool = externalTool("promtool", "prometheus", "the promtool check of /metrics");

let sender: InProcessNode;
let receiver: InProcessNode;

/** A request as a client on 192.0.2.7 sends it (each test file its own address: no shared back-off). */
const ask = (node: InProcessNode, path: string, init: RequestInit = {}) =>
  node.app.request(`${BASE}${path}`, init, { clientAddress: "192.0.2.7" });

beforeAll(() => {
  const tree = withRealSymlinks(NODE_EXPORTER);
  sender = inProcessNode({
    role: "sender",
    token: TOKEN,
    collector: createCollector({ procfs: `${tree}/proc`, sysfs: `${tree}/sys` }),
  });
  receiver = inProcessNode({ role: "both", token: TOKEN });
});
afterAll(() => {
  sender.stop();
  receiver.stop();
});

describe("sender routes", () => {
  test("/healthz answers without auth", async () => {
    const res = await ask(sender, "/healthz");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
  });

  test("/api/v1/info returns HostInfo read from the tree", async () => {
    const res = await ask(sender, "/api/v1/info", { headers: auth });
    expect(res.status).toBe(200);
    const info = v.parse(HostInfoSchema, await res.json());
    expect(info.cpu_model).toContain("i7-8650U");
    expect(info.os).toBe("Ubuntu 20.04.2 LTS");
  });

  test("/api/v1/snapshot returns every section, valid against the schema", async () => {
    const res = await ask(sender, "/api/v1/snapshot", { headers: auth });
    expect(res.status).toBe(200);
    const snap = v.parse(SnapshotSchema, await res.json());
    for (const section of SECTIONS) expect(section in snap).toBe(true);
    expect(snap.cpu?.cores_pct).toHaveLength(8);
    expect(snap.memory?.total_bytes).toBe(3742148 * 1024);
  });

  test("?sections= limits the snapshot to those sections", async () => {
    const res = await ask(sender, "/api/v1/snapshot?sections=cpu,memory", { headers: auth });
    const snap = v.parse(SnapshotSchema, await res.json());
    expect(snap.cpu).toBeTruthy();
    expect(snap.memory).toBeTruthy();
    expect("processes" in snap).toBe(false);
    expect("disks" in snap).toBe(false);
  });

  test("an unknown section is a 400 that lists the valid ones", async () => {
    const res = await ask(sender, "/api/v1/snapshot?sections=cpu,gpu", { headers: auth });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toStartWith("sections: ");
    expect(body.error.message).toContain('"gpu"');
    expect(body.error.message).toContain(SECTIONS.join(", "));
  });

  test("/metrics is Prometheus text with HELP and TYPE", async () => {
    const res = await ask(sender, "/metrics", { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain("# HELP hwm_cpu_usage_ratio");
    expect(text).toContain("# TYPE hwm_disk_read_bytes_total counter");
    expect(text).toContain("hwm_memory_total_bytes 3831959552");
    // The tree has no proc/net/dev: the section is reported as failed, the rest still served.
    expect(text).toContain('hwm_collector_failed{section="network"} 1');
  });

  test.skipIf(promtool.skip)("/metrics passes promtool check metrics", async () => {
    const text = await (await ask(sender, "/metrics", { headers: auth })).text();
    const check = Bun.spawnSync([promtool.path(), "check", "metrics"], {
      stdin: new TextEncoder().encode(text),
    });
    expect(check.stdout.toString() + check.stderr.toString()).toBe("");
    expect(check.exitCode).toBe(0);
  });

  test("unknown routes are a JSON 404 naming the route", async () => {
    const res = await ask(sender, "/api/v1/nope", { headers: auth });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toContain("/api/v1/nope");
  });

  test("a body over the limit is a JSON 413 (Bun refuses larger ones before the app)", async () => {
    const res = await ask(sender, "/api/v1/info", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "x".repeat(65 * 1024),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("too_large");
  });
});

describe("sender auth", () => {
  test("no token: 401 with WWW-Authenticate", async () => {
    for (const path of ["/api/v1/info", "/api/v1/snapshot", "/metrics"]) {
      const res = await ask(sender, path);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  test("wrong token: 401", async () => {
    const res = await ask(sender, "/api/v1/info", {
      headers: { authorization: "Bearer nope-nope-nope-nope" },
    });
    expect(res.status).toBe(401);
  });

  test("a token in the URL is refused, even the right one", async () => {
    const res = await ask(sender, `/api/v1/info?token=${TOKEN}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain("never accepted in URLs");
  });

  test("a node without a token answers loopback names only", async () => {
    const open = inProcessNode({ role: "sender", token: null });
    expect((await open.app.request("http://127.0.0.1:7070/api/v1/info")).status).toBe(200);
    expect((await open.app.request("http://localhost/api/v1/info")).status).toBe(200);
    const foreign = await open.app.request("http://attacker.example/api/v1/info");
    expect(foreign.status).toBe(403);
  });
});

describe("receiver routes", () => {
  test("/api/v1/hosts lists the local host, valid against the schema", async () => {
    const res = await ask(receiver, "/api/v1/hosts", { headers: auth });
    expect(res.status).toBe(200);
    const body = v.parse(HostsResponseSchema, await res.json());
    expect(body.hosts.map((h) => h.id)).toEqual([INFO.hostname]);
    expect(body.features).toEqual({ history: null, alerts: false });
  });

  test("history off: the history routes say how to turn it on", async () => {
    for (const path of [
      `/api/v1/hosts/${INFO.hostname}/history?metrics=cpu.total_pct`,
      "/api/v1/history?metrics=cpu.total_pct",
    ]) {
      const res = await ask(receiver, path, { headers: auth });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        HISTORY_OFF,
      );
    }
  });

  test("an unknown host's history is a 404 naming it", async () => {
    const res = await ask(receiver, "/api/v1/hosts/nosuch/history?metrics=cpu.total_pct", {
      headers: auth,
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      '"nosuch"',
    );
  });

  test("/api/v1/alerts without rules: no rules, no events", async () => {
    const res = await ask(receiver, "/api/v1/alerts", { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rules: unknown[]; events: unknown[] };
    expect(body.rules).toEqual([]);
    expect(body.events).toEqual([]);
  });
});
