// Reading history and alerts: the request the routes expect, and every way an answer can fail —
// the receiver's own error, no answer, not JSON, JSON that is not the protocol — as a message.
import { describe, expect, test } from "bun:test";
import {
  type ApiTarget,
  before,
  describeApiError,
  fetchAlerts,
  fetchFleetHistory,
  fetchHostHistory,
  hostHistoryPath,
} from "../../../src/client/api.ts";
import type { AlertsResponse } from "../../../src/protocol/index.ts";
import { historyResponse, points, T0 } from "./fixtures.ts";

/** A target whose fetch answers with `respond` and remembers what was asked. */
function fake(
  respond: (url: string) => Response | Promise<Response>,
): ApiTarget & { asked: string[] } {
  const asked: string[] = [];
  return {
    baseUrl: "http://receiver:7070",
    asked,
    fetch: async (url) => {
      asked.push(url);
      return respond(url);
    },
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const QUERY = {
  metrics: ["cpu.total_pct", "network[*].rx_bps"],
  from: before(86_400_000),
  to: "now" as const,
  stepMs: 300_000,
};

describe("requests", () => {
  test("one host's history: the id and the metric list encoded, times on the receiver's clock", () => {
    const path = hostHistoryPath("pve web", QUERY);
    const url = new URL(path, "http://x");
    expect(url.pathname).toBe("/api/v1/hosts/pve%20web/history");
    expect(url.searchParams.get("metrics")).toBe("cpu.total_pct,network[*].rx_bps");
    expect(url.searchParams.get("from")).toBe("-86400000ms");
    expect(url.searchParams.get("to")).toBe("now");
    expect(url.searchParams.get("step")).toBe("300000");
  });

  test("the fleet's history for every host, in one request", async () => {
    const target = fake(() =>
      json({
        from_ms: 1,
        to_ms: 2,
        step_ms: 900_000,
        agg: "avg",
        hosts: { a: { "cpu.total_pct": [[1, 5]] } },
      }),
    );
    const result = await fetchFleetHistory(target, null, QUERY);
    expect(result.ok && result.value.hosts.a?.["cpu.total_pct"]).toEqual([[1, 5]]);
    expect(new URL(target.asked[0] ?? "").searchParams.has("hosts")).toBe(false);
  });
});

describe("answers", () => {
  test("a good answer is decoded", async () => {
    const body = historyResponse(
      { "cpu.total_pct": points(T0, 1000, 3, (i) => i) },
      {
        fromMs: T0,
        toMs: T0 + 3000,
        stepMs: 1000,
      },
    );
    const result = await fetchHostHistory(
      fake(() => json(body)),
      "pve-web",
      QUERY,
    );
    expect(result).toEqual({ ok: true, value: body });
  });

  test("history off (404), a bad parameter (400), the backend down (503): the receiver's words", async () => {
    for (const [status, message] of [
      [404, "history is off on this receiver: add [history] with enabled = true"],
      [400, 'step: expected milliseconds or a duration such as "5m", got "x"'],
      [503, "Prometheus at http://prom:9090 did not answer"],
    ] as const) {
      const target = fake(() => json({ error: { code: "x", message } }, status));
      const result = await fetchHostHistory(target, "pve-web", QUERY);
      expect(result).toEqual({ ok: false, error: { kind: "http", status, message } });
      if (!result.ok) expect(describeApiError(result.error)).toBe(message);
    }
  });

  test("an error page that is not JSON still says its status", async () => {
    const result = await fetchAlerts(
      fake(() => new Response("<h1>Bad gateway</h1>", { status: 502, statusText: "Bad Gateway" })),
    );
    expect(result).toEqual({
      ok: false,
      error: { kind: "http", status: 502, message: "502 Bad Gateway" },
    });
  });

  test("JSON that is not the protocol names the field that is wrong", async () => {
    const result = await fetchHostHistory(
      fake(() =>
        json({
          host: "a",
          from_ms: 1,
          to_ms: 2,
          step_ms: 1,
          agg: "avg",
          series: { cpu: [[1, "high"]] },
        }),
      ),
      "a",
      QUERY,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("invalid");
      expect(result.error.message).toContain("series.cpu.0.1");
      expect(describeApiError(result.error)).toStartWith("the receiver's answer cannot be read");
    }
  });

  test("not JSON at all", async () => {
    const result = await fetchAlerts(fake(() => new Response("ok")));
    expect(result).toEqual({
      ok: false,
      error: { kind: "invalid", message: "the answer is not JSON" },
    });
  });

  test("no answer: a refused connection, or one slower than the timeout", async () => {
    const refused = await fetchAlerts(
      fake(() => {
        throw new TypeError("Unable to connect");
      }),
    );
    expect(refused).toEqual({
      ok: false,
      error: { kind: "network", message: "Unable to connect" },
    });

    const slow: ApiTarget = {
      baseUrl: "",
      timeoutMs: 50,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) =>
          init.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
        ),
    };
    const result = await fetchAlerts(slow);
    expect(result).toEqual({
      ok: false,
      error: { kind: "network", message: "the receiver did not answer in time" },
    });
  });

  test("a real refused connection is said in words, not the runtime's", async () => {
    const closed = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
    const host = `127.0.0.1:${closed.port}`;
    closed.stop(true);
    const result = await fetchAlerts({ baseUrl: `http://${host}`, timeoutMs: 2000 });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: "network",
        message: `connection refused: nothing listens on ${host} (is hwm running there?)`,
      },
    });
  });

  test("alerts: rules with their state and events, decoded", async () => {
    const body: AlertsResponse = {
      ts_ms: T0,
      rules: [
        {
          name: "hot cpu",
          when: "cpu.total_pct > 90",
          for_ms: 300_000,
          hosts: ["*"],
          notify: [],
          state: "firing",
          instances: [
            {
              host: "a",
              key: null,
              state: "firing",
              since_ms: T0 - 1,
              value: 95,
              message: "m",
              silenced: false,
            },
          ],
        },
      ],
      events: [
        {
          ts_ms: T0,
          rule: "hot cpu",
          host: "a",
          key: null,
          kind: "firing",
          value: 95,
          message: "m",
        },
      ],
    };
    expect(await fetchAlerts(fake(() => json(body)))).toEqual({ ok: true, value: body });
  });
});
