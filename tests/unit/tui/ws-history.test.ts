// The network source's history requests against a real HTTP server on loopback port 0 that answers
// like a receiver with history: the request it makes (path, metrics, range, token), the decoded
// answer, a slow node cut off by the timeout, the node's own words on an error, and the dashboard
// drawing a host's graphs from that answer.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Server } from "bun";
import type { HistoryQuery } from "../../../src/client/api.ts";
import type { DataSource, SourceState } from "../../../src/tui/source.ts";
import { connectNode } from "../../../src/tui/ws-source.ts";
import { fleetHosts, recordedHour } from "./fixtures.ts";
import { startHarness } from "./harness.ts";

const TOKEN = "test-token-0123456789abcdefghijklmnopq";
const QUERY: HistoryQuery = {
  metrics: ["cpu.total_pct", "network[*].rx_bps", "network[*].tx_bps"],
  from: "-3600000ms",
  to: "now",
  stepMs: 15_000,
};

const asked: { path: string; search: URLSearchParams; authorization: string | null }[] = [];
let server: Server<undefined>;
let url = "";
const sources: DataSource[] = [];

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req, srv) {
      const { pathname, searchParams } = new URL(req.url);
      if (pathname === "/api/v1/live") {
        return srv.upgrade(req) ? undefined : new Response("upgrade failed", { status: 400 });
      }
      if (pathname === "/api/v1/hosts") {
        return Response.json({
          ts_ms: Date.now(),
          hosts: fleetHosts(),
          features: { history: "sqlite", alerts: false },
        });
      }
      const history = /^\/api\/v1\/hosts\/([^/]+)\/history$/.exec(pathname);
      if (!history) return new Response("not found", { status: 404 });
      const id = decodeURIComponent(history[1] ?? "");
      asked.push({
        path: pathname,
        search: searchParams,
        authorization: req.headers.get("authorization"),
      });
      if (id === "slow") await Bun.sleep(3000);
      if (id === "gone") {
        return Response.json(
          { error: { code: "not_found", message: 'no host "gone" in this fleet' } },
          { status: 404 },
        );
      }
      return Response.json(recordedHour(id));
    },
    websocket: {
      open(ws) {
        ws.send(
          JSON.stringify({
            type: "fleet",
            ts_ms: Date.now(),
            interval_ms: 1000,
            hosts: fleetHosts(),
          }),
        );
      },
      message() {},
    },
  });
  url = `http://127.0.0.1:${server.port}`;
});

afterAll(() => {
  for (const source of sources) source.close();
  server.stop(true);
});

function follow(): DataSource {
  const source = connectNode({ url, token: TOKEN, fingerprint: null, intervalMs: 1000 });
  sources.push(source);
  return source;
}

function until(source: DataSource, ok: (s: SourceState) => boolean): Promise<SourceState> {
  return new Promise((resolve, reject) => {
    if (ok(source.state)) return resolve(source.state);
    const timer = setTimeout(() => reject(new Error("timed out")), 5000);
    const stop = source.onChange(() => {
      if (!ok(source.state)) return;
      clearTimeout(timer);
      stop();
      resolve(source.state);
    });
  });
}

describe("history from a receiver", () => {
  test("learns that the node records, and asks for a host's hour with the token", async () => {
    const source = follow();
    const state = await until(source, (s) => s.link === "live");
    expect(state.features).toEqual({ history: "sqlite", alerts: false });
    expect(state.session).toBe(1);
    asked.length = 0;
    const result = await source.history("pve-web", QUERY, 2000);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.series["cpu.total_pct"]?.length).toBe(240);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.path).toBe("/api/v1/hosts/pve-web/history");
    expect(asked[0]?.search.get("metrics")).toBe(
      "cpu.total_pct,network[*].rx_bps,network[*].tx_bps",
    );
    expect(asked[0]?.search.get("from")).toBe("-3600000ms");
    expect(asked[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test("a node slower than the timeout is given up on, in words", async () => {
    const source = follow();
    await until(source, (s) => s.link === "live");
    const startedMs = Date.now();
    const result = await source.history("slow", QUERY, 300);
    expect(Date.now() - startedMs).toBeLessThan(2000);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toEqual({
        kind: "network",
        message: "the receiver did not answer in time",
      });
  });

  test("an error answer carries the node's own message", async () => {
    const source = follow();
    await until(source, (s) => s.link === "live");
    const result = await source.history("gone", QUERY, 2000);
    expect(result).toEqual({
      ok: false,
      error: { kind: "http", status: 404, message: 'no host "gone" in this fleet' },
    });
  });

  test("the dashboard opens a host with its graphs already spanning the recorded hour", async () => {
    const source = follow();
    await until(source, (s) => s.link === "live" && s.hosts.length === 3);
    const t = await startHarness(source, 120, 40);
    try {
      // Problems first: the offline host heads the table, the one with history comes next.
      t.mockInput.pressArrow("down");
      t.mockInput.pressEnter();
      let screen = "";
      for (let i = 0; i < 100 && !screen.includes("cpu 8 cores · 1h"); i++) {
        await Bun.sleep(20);
        screen = (await t.lines()).join("\n");
      }
      expect(screen).toContain("─ cpu 8 cores · 1h");
      expect(screen).toContain("─ network · 1h");
      expect(t.errors).toEqual([]);
    } finally {
      t.dashboard.destroy();
      await t.dispose();
    }
  });
});
