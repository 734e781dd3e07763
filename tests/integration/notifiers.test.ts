// Every notifier type against a real HTTP server on loopback: the exact request each one sends,
// retries after a 500, a hung target timed out and given up, redirects not followed, secrets kept
// out of the log, a bounded queue, and evaluation never waiting for any of it.
import { afterAll, describe, expect, test } from "bun:test";
import { AlertEngine } from "../../src/alerts/engine.ts";
import type { AlertConfig, NotifierConfig } from "../../src/config/types.ts";
import { VERSION } from "../../src/version.ts";
import {
  host,
  memoryLog,
  monday,
  notifier,
  type Received,
  rule,
  target,
} from "../helpers/alerts.ts";

const T0 = monday(10);
const DASHBOARD = "http://hwm.test:7070";
const servers: { stop(): unknown }[] = [];
afterAll(() => {
  for (const s of servers) s.stop();
});

function serve(...args: Parameters<typeof target>) {
  const t = target(...args);
  servers.push(t);
  return t;
}

const diskRule = (notify: string[], extra: Partial<AlertConfig> = {}): AlertConfig => ({
  ...rule("disks[*].used_pct >= 90", { name: "disk-full", notify }),
  ...extra,
});

function engineFor(
  notifiers: NotifierConfig[],
  rules: AlertConfig[],
  delivery: { timeoutMs?: number; retryDelaysMs?: number[]; maxQueued?: number } = {},
) {
  const { log, lines } = memoryLog();
  const engine = new AlertEngine({
    rules,
    notifiers,
    log,
    dashboardUrl: `${DASHBOARD}/`,
    delivery: { timeoutMs: 1000, retryDelaysMs: [50, 50], ...delivery },
  });
  return { engine, lines };
}

/** One disk over the limit on pve-web: one firing notification. */
async function fireOnce(n: NotifierConfig): Promise<Received> {
  const { engine } = engineFor([n], [diskRule([n.name])]);
  engine.evaluate([host("pve-web", { disks: { "/var": 95, "/": 10 } })], T0);
  const t = servers.at(-1) as ReturnType<typeof target>;
  const [request] = await t.waitFor(1);
  await engine.stop();
  if (!request) throw new Error("no request");
  return request;
}

const MESSAGE = "pve-web: disks[/var].used_pct is 95.0 % (>= 90)";
const HOST_URL = `${DASHBOARD}/#/host/pve-web`;

describe("the request of each notifier type", () => {
  test("webhook: our JSON document, bearer token", async () => {
    const t = serve();
    const r = await fireOnce(notifier("webhook", `${t.url}/hook?x=1`, "hook", "s3cret-token"));
    expect(r.method).toBe("POST");
    expect(r.path).toBe("/hook?x=1");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.headers.authorization).toBe("Bearer s3cret-token");
    expect(r.headers["user-agent"]).toBe(`hwm/${VERSION}`);
    expect(JSON.parse(r.body)).toEqual({
      version: 1,
      kind: "firing",
      rule: "disk-full",
      host: "pve-web",
      key: "/var",
      value: 95,
      threshold: 90,
      condition: "disks[*].used_pct >= 90",
      severity: "warning",
      since_ms: T0,
      ts_ms: T0,
      message: MESSAGE,
      url: HOST_URL,
    });
  });

  test("ntfy: the message as text, title/priority/tags/click in headers", async () => {
    const t = serve();
    const r = await fireOnce(notifier("ntfy", `${t.url}/hwm-alerts`, "phone", "tk_abc"));
    expect(r.method).toBe("POST");
    expect(r.path).toBe("/hwm-alerts");
    expect(r.body).toBe(MESSAGE);
    expect(r.headers).toMatchObject({
      "content-type": "text/plain; charset=utf-8",
      title: "[firing] disk-full on pve-web",
      priority: "4",
      tags: "warning",
      click: HOST_URL,
      authorization: "Bearer tk_abc",
    });
  });

  test("ntfy: a title beyond ASCII goes as an RFC 2047 encoded word", async () => {
    const t = serve();
    const n = notifier("ntfy", `${t.url}/t`, "phone");
    const { engine } = engineFor(
      [n],
      [rule("cpu.total_pct > 90", { name: "CPU über 90 ✓", notify: ["phone"] })],
    );
    engine.evaluate([host("pve-web", { cpuPct: 95 })], T0);
    const [r] = await t.waitFor(1);
    await engine.stop();
    const match = /^=\?UTF-8\?B\?(.+)\?=$/.exec(r?.headers.title ?? "");
    expect(Buffer.from(match?.[1] ?? "", "base64").toString("utf8")).toBe(
      "[firing] CPU über 90 ✓ on pve-web",
    );
    expect(r?.headers.authorization).toBeUndefined();
  });

  test("discord: content and one embed, mentions disabled, no token header", async () => {
    const t = serve(() => new Response(null, { status: 204 }));
    const r = await fireOnce(notifier("discord", `${t.url}/api/webhooks/123/abc`, "chat"));
    expect(r.path).toBe("/api/webhooks/123/abc");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.headers.authorization).toBeUndefined();
    expect(JSON.parse(r.body)).toEqual({
      content: MESSAGE,
      embeds: [
        {
          title: "[firing] disk-full on pve-web",
          description: "Condition: disks[*].used_pct >= 90",
          color: 0xe67e22,
          timestamp: new Date(T0).toISOString(),
          url: HOST_URL,
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  test("slack: one text, special characters escaped", async () => {
    const t = serve();
    const n = notifier("slack", `${t.url}/services/T0/B0/xyz`, "team");
    const { engine } = engineFor(
      [n],
      [rule("cpu.total_pct > 90", { name: "<cpu & co>", notify: ["team"] })],
    );
    engine.evaluate([host("pve-web", { cpuPct: 95 })], T0);
    const [r] = await t.waitFor(1);
    await engine.stop();
    expect(r?.path).toBe("/services/T0/B0/xyz");
    expect(JSON.parse(r?.body ?? "")).toEqual({
      text: `*[firing] &lt;cpu &amp; co&gt; on pve-web*\npve-web: cpu.total_pct is 95.0 % (&gt; 90)\n${HOST_URL}`,
    });
  });

  test("gotify: <url>/message, X-Gotify-Key, priority 8 when firing", async () => {
    const t = serve();
    const r = await fireOnce(notifier("gotify", `${t.url}/gotify/`, "gotify", "AppToken.1"));
    expect(r.path).toBe("/gotify/message");
    expect(r.headers["x-gotify-key"]).toBe("AppToken.1");
    expect(r.headers.authorization).toBeUndefined();
    expect(JSON.parse(r.body)).toEqual({
      title: "[firing] disk-full on pve-web",
      message: MESSAGE,
      priority: 8,
      extras: { "client::notification": { click: { url: HOST_URL } } },
    });
  });

  test("alertmanager: /api/v2/alerts with labels, annotations, startsAt and an endsAt ahead", async () => {
    const t = serve();
    const before = Date.now();
    const r = await fireOnce(notifier("alertmanager", `${t.url}/am`, "am", "am-token"));
    expect(r.path).toBe("/am/api/v2/alerts");
    expect(r.headers.authorization).toBe("Bearer am-token");
    const [alert, ...rest] = JSON.parse(r.body) as Record<string, unknown>[];
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      labels: { alertname: "disk-full", host: "pve-web", key: "/var", severity: "warning" },
      annotations: {
        summary: MESSAGE,
        description: "disks[*].used_pct >= 90 (hwm rule disk-full)",
      },
      startsAt: new Date(T0).toISOString(),
      generatorURL: HOST_URL,
    });
    const endsMs = Date.parse(String(alert?.endsAt));
    expect(endsMs).toBeGreaterThanOrEqual(before + 5 * 60_000);
    expect(endsMs).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
  });
});

describe("alertmanager keeps firing alerts alive", () => {
  test("re-sent every 60 s while firing, endsAt set when resolved; a webhook hears it once", async () => {
    const am = serve();
    const hook = serve();
    const notifiers = [
      notifier("alertmanager", am.url, "am"),
      notifier("webhook", hook.url, "hook"),
    ];
    const { engine } = engineFor(notifiers, [diskRule(["am", "hook"])]);
    const at = async (ms: number, pct: number) => {
      engine.evaluate([host("pve-web", { disks: { "/var": pct } })], T0 + ms);
      await Bun.sleep(30);
    };
    await at(0, 95);
    await at(30_000, 95);
    await at(60_000, 95);
    await at(90_000, 96);
    await at(120_000, 97);
    await at(150_000, 50);
    await am.waitFor(4);
    await hook.waitFor(2);
    await engine.stop();
    const bodies = am.received.map((r) => (JSON.parse(r.body) as Record<string, string>[])[0]);
    expect(bodies).toHaveLength(4);
    expect(bodies.map((b) => b?.startsAt)).toEqual(Array(4).fill(new Date(T0).toISOString()));
    expect(bodies[3]?.endsAt).toBe(new Date(T0 + 150_000).toISOString());
    expect(hook.received.map((r) => JSON.parse(r.body).kind)).toEqual(["firing", "resolved"]);
  });
});

describe("delivery", () => {
  test("a target answering 500 then 200 is retried and succeeds", async () => {
    let calls = 0;
    const t = serve(() =>
      ++calls === 1 ? new Response("busy", { status: 500 }) : new Response("ok"),
    );
    const n = notifier("webhook", `${t.url}/hook`, "hook");
    const { engine, lines } = engineFor([n], [diskRule(["hook"])], { retryDelaysMs: [100] });
    engine.evaluate([host("pve-web", { disks: { "/var": 95 } })], T0);
    const [first, second] = await t.waitFor(2);
    expect(second?.body).toBe(first?.body ?? "");
    expect((second?.atMs ?? 0) - (first?.atMs ?? 0)).toBeGreaterThanOrEqual(90);
    await Bun.sleep(20);
    await engine.stop();
    expect(lines.join("\n")).toContain("notification sent after retrying");
    expect(lines.join("\n")).not.toContain("given up");
  });

  test("a target that hangs is timed out, retried, then given up in one clear line", async () => {
    const t = serve(() => new Promise<Response>(() => {}));
    const n = notifier("webhook", `${t.url}/hook`, "hook");
    const { engine, lines } = engineFor([n], [diskRule(["hook"])], {
      timeoutMs: 200,
      retryDelaysMs: [50],
    });
    engine.evaluate([host("pve-web", { disks: { "/var": 95 } })], T0);
    await t.waitFor(2);
    const deadline = Date.now() + 3000;
    while (!lines.some((l) => l.includes("given up")) && Date.now() < deadline) await Bun.sleep(20);
    await engine.stop();
    const given = lines.filter((l) => l.includes("given up"));
    expect(given).toHaveLength(1);
    expect(given[0]).toContain("notification to hook given up: no answer within 200 ms");
    expect(given[0]).toContain("attempts=2");
    expect(t.received).toHaveLength(2);
  });

  test("evaluation does not wait while a target hangs", async () => {
    const t = serve(() => new Promise<Response>(() => {}));
    const n = notifier("webhook", `${t.url}/hook`, "hook");
    const { engine } = engineFor([n], [diskRule(["hook"], { repeatMs: 1000 })], {
      timeoutMs: 5000,
    });
    const durations: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      engine.evaluate(
        [host("pve-web", { disks: { "/var": 95 } }), host(`h${i}`, { disks: { "/": 99 } })],
        T0 + i * 1000,
      );
      durations.push(performance.now() - started);
      await Bun.sleep(5);
    }
    await t.waitFor(1);
    const stopping = performance.now();
    await engine.stop();
    // stop() waits for the hung request at most its grace period.
    expect(performance.now() - stopping).toBeLessThan(2600);
    expect(Math.max(...durations)).toBeLessThan(50);
  });

  test("a redirect is not followed and not retried", async () => {
    const t = serve((r) =>
      r.path === "/hook"
        ? new Response(null, { status: 302, headers: { location: "/elsewhere" } })
        : new Response("ok"),
    );
    const n = notifier("webhook", `${t.url}/hook`, "hook");
    const { engine, lines } = engineFor([n], [diskRule(["hook"])]);
    engine.evaluate([host("pve-web", { disks: { "/var": 95 } })], T0);
    await t.waitFor(1);
    await Bun.sleep(300);
    await engine.stop();
    expect(t.received.map((r) => r.path)).toEqual(["/hook"]);
    expect(lines.find((l) => l.includes("given up"))).toContain(
      "HTTP 302: a redirect, not followed",
    );
  });

  test("the URL and token never reach the log, even when the target echoes them", async () => {
    const t = serve(
      (r) =>
        new Response(`bad request to ${r.path} with ${r.headers.authorization}`, { status: 400 }),
    );
    const n = notifier(
      "webhook",
      `${t.url}/hooks/SECRET-PATH-123?key=SECRET-QUERY`,
      "hook",
      "SECRET-TOKEN",
    );
    const { engine, lines } = engineFor([n], [diskRule(["hook"])]);
    engine.evaluate([host("pve-web", { disks: { "/var": 95 } })], T0);
    await t.waitFor(1);
    await Bun.sleep(100);
    await engine.stop();
    const log = lines.join("\n");
    expect(log).toContain("notification to hook given up: HTTP 400: bad request to");
    expect(log).not.toContain("SECRET");
    expect(log).not.toContain(t.url);
  });

  test("a full queue drops its oldest waiting notification, with a log line", async () => {
    const t = serve(() => new Promise<Response>(() => {}));
    const n = notifier("webhook", `${t.url}/hook`, "hook");
    const { engine, lines } = engineFor([n], [diskRule(["hook"])], {
      maxQueued: 3,
      timeoutMs: 5000,
    });
    const hosts = Array.from({ length: 6 }, (_, i) => host(`h${i}`, { disks: { "/": 99 } }));
    engine.evaluate(hosts, T0);
    const dropped = lines.filter((l) => l.includes("queue full"));
    expect(dropped).toHaveLength(3);
    // The one in flight stays; the next oldest go.
    expect(dropped.map((l) => /host=(\S+)/.exec(l)?.[1])).toEqual(["h1", "h2", "h3"]);
    await engine.stop();
  });

  test("a refused connection is retried, then given up with the reason", async () => {
    const closed = serve();
    const url = `${closed.url}/hook`;
    closed.stop();
    const { engine, lines } = engineFor([notifier("webhook", url, "hook")], [diskRule(["hook"])], {
      retryDelaysMs: [20, 20],
    });
    engine.evaluate([host("pve-web", { disks: { "/var": 95 } })], T0);
    const deadline = Date.now() + 3000;
    while (!lines.some((l) => l.includes("given up")) && Date.now() < deadline) await Bun.sleep(20);
    await engine.stop();
    const given = lines.find((l) => l.includes("given up"));
    expect(given).toContain("notification to hook given up: connection refused (ECONNREFUSED)");
    expect(given).toContain("attempts=3");
  });

  test("stop() cancels retries that are waiting", async () => {
    const t = serve(() => new Response("no", { status: 503 }));
    const n = notifier("webhook", `${t.url}/hook`, "hook");
    const { engine, lines } = engineFor([n], [diskRule(["hook"])], { retryDelaysMs: [300] });
    engine.evaluate([host("pve-web", { disks: { "/var": 95 } })], T0);
    await t.waitFor(1);
    await Bun.sleep(20);
    const stopping = performance.now();
    await engine.stop();
    expect(performance.now() - stopping).toBeLessThan(100);
    await Bun.sleep(500);
    expect(t.received).toHaveLength(1);
    expect(lines.join("\n")).toContain("notifications not sent: hwm is stopping");
  });
});
