// Fuzzing every HTTP route in-process (app.request, no socket): methods, paths, path parameters,
// query parameters (the history routes' metrics, from, to, step, agg, hosts; the snapshot's
// sections), credentials, cookies, origins and bodies. Every answer is below 500; an error is JSON
// naming what was wrong; a success validates against the protocol's schema.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fc from "fast-check";
import * as v from "valibot";
import { METRIC_FAMILIES, snapshotMetrics } from "../../src/history/metrics.ts";
import { SqliteHistory } from "../../src/history/sqlite.ts";
import { createLogger, type Logger } from "../../src/log.ts";
import {
  type AlertsResponse,
  AlertsResponseSchema,
  FleetHistoryResponseSchema,
  HistoryResponseSchema,
  HostInfoSchema,
  HostsResponseSchema,
  SECTIONS,
  SnapshotSchema,
} from "../../src/protocol/index.ts";
import { fakeCollector, INFO, type InProcessNode, inProcessNode } from "../helpers/app.ts";
import { anyJson, anyString, fuzzAsync, hostileJsonText, longString, RUNS } from "./fuzz.ts";

const TOKEN = "fuzz-token-0123456789abcdefghijklmnop";
const HOST = INFO.hostname;
const HOUR_MS = 3_600_000;

const dir = mkdtempSync(join(tmpdir(), "hwm-fuzz-http-"));
/** Errors the nodes log (a 500 is logged as "request failed"): shown with a failing case. */
const logged: string[] = [];
const log: Logger = createLogger("error", (line) => logged.push(line));
let store: SqliteHistory;
let nodes: Record<"sender" | "both" | "open" | "receiverNoHistory", InProcessNode>;

const alerts = (nowMs: number): AlertsResponse => ({
  ts_ms: nowMs,
  rules: [
    {
      name: "hot cpu",
      when: "cpu.total_pct > 90",
      for_ms: 300_000,
      hosts: ["*"],
      notify: [],
      state: "ok",
      instances: [],
    },
  ],
  events: [],
});

beforeAll(async () => {
  store = SqliteHistory.open(join(dir, "history.db"), {
    intervalMs: 10_000,
    rawRetentionMs: 24 * HOUR_MS,
    rollups: [{ stepMs: 60_000, retentionMs: 30 * 24 * HOUR_MS }],
    log,
  });
  // An hour of this host's history, so that queries have points to aggregate.
  const collector = fakeCollector();
  const snapshot = await collector.snapshot(SECTIONS);
  const nowMs = Date.now();
  for (let tsMs = nowMs - HOUR_MS; tsMs <= nowMs; tsMs += 10_000) {
    store.writeRound(
      [{ host: HOST, tsMs, values: snapshotMetrics(snapshot) }],
      [{ id: HOST, info: INFO, snapshot, lastSeenMs: tsMs, status: "online", lastError: null }],
      [],
      tsMs,
    );
  }
  nodes = {
    sender: inProcessNode({ role: "sender", token: TOKEN, log }),
    both: inProcessNode({ role: "both", token: TOKEN, history: store, alerts, log }),
    open: inProcessNode({ role: "both", token: null, history: store, log }),
    receiverNoHistory: inProcessNode({ role: "receiver", token: TOKEN, log }),
  };
  // The fleet knows its hosts once it has polled: do it now rather than in the first case.
  await nodes.both.app.request("/api/v1/hosts", { headers: { authorization: `Bearer ${TOKEN}` } });
});

afterAll(() => {
  console.info(
    `HTTP fuzzing: answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
  for (const node of Object.values(nodes ?? {})) node.stop();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

// --- requests ---

const KNOWN_PATHS = [
  "/healthz",
  "/api/v1/info",
  "/api/v1/snapshot",
  "/metrics",
  "/api/v1/hosts",
  `/api/v1/hosts/${HOST}/history`,
  "/api/v1/history",
  "/api/v1/alerts",
  "/api/v1/session",
  "/api/v1/ws",
  "/api/v1/live",
  "/",
  "/api",
  "/api/v1/",
  "/api/v1/hosts/",
  "//api/v1/info",
  "/api/v1/info/",
  "/API/V1/INFO",
] as const;

/** Percent-encoded; a lone surrogate (which has no UTF-8) goes out as the bytes of one. */
function encodePart(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.toWellFormed())}%ED%A0%80`;
  }
}

/** Text for a URL: usually encoded, sometimes raw (then malformed %-escapes get through). */
const urlPart = fc.oneof(
  { weight: 3, arbitrary: anyString.map(encodePart) },
  {
    weight: 1,
    arbitrary: anyString.map((s) => s.replace(/[^\x21-\x7e]/g, "").replace(/[#?/]/g, "")),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "%2F", "..", ".", "%2e%2e"),
  },
);

const path = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN_PATHS) },
  { weight: 3, arbitrary: urlPart.map((id) => `/api/v1/hosts/${id}/history`) },
  {
    weight: 1,
    arbitrary: fc.array(urlPart, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join("/")}`),
  },
  { weight: 1, arbitrary: urlPart.map((s) => `/api/v1/${s}`) },
);

const metricName = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(...METRIC_FAMILIES.map((f) => f.name.replace("[]", "[*]"))),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...METRIC_FAMILIES.filter((f) => f.key).map((f) => f.name)),
        fc.oneof(
          fc.constantFrom("*", "/", "0", "eth0", "sda", "Package id 0", "[*]", "]["),
          anyString,
        ),
      )
      .map(([name, key]) => name.replace("[]", `[${key}]`)),
  },
  { weight: 1, arbitrary: anyString },
);

/** Metric lists: mostly one to three names, sometimes more than allowed, sometimes huge. */
const metricList = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.array(metricName, { minLength: 1, maxLength: 3 }).map((m) => m.join(",")),
  },
  {
    weight: 1,
    arbitrary: fc.array(metricName, { minLength: 30, maxLength: 40 }).map((m) => m.join(",")),
  },
  { weight: 1, arbitrary: longString },
);

/** Times the history routes take, and others. */
const time = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom("now", "-1h", "-24h", "-7d", "-400d", "-1y", "0", "-0s", "-", "+1h"),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: -HOUR_MS, max: HOUR_MS }).map((d) => String(Date.now() + d)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 53 }).map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String) },
  { weight: 1, arbitrary: anyString },
);

const QUERY_VALUES: Record<string, fc.Arbitrary<string>> = {
  metrics: metricList,
  from: time,
  to: time,
  step: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        "1",
        "0",
        "1000",
        "10s",
        "1m",
        "1ms",
        "999999999999",
        "1e3",
        "-1m",
      ),
    },
    { weight: 1, arbitrary: anyString },
  ),
  agg: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("avg", "max", "min", "AVG", "") },
    { weight: 1, arbitrary: anyString },
  ),
  hosts: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom("*", HOST, `${HOST},${HOST}`, "", ",", `${HOST},nosuch`),
    },
    { weight: 1, arbitrary: anyString },
    fc.array(fc.constantFrom(HOST, "*", ""), { maxLength: 600 }).map((h) => h.join(",")),
  ),
  sections: fc.oneof(
    fc.subarray([...SECTIONS]).map((s) => s.join(",")),
    fc
      .array(fc.oneof(fc.constantFrom(...SECTIONS), anyString), { maxLength: 5 })
      .map((s) => s.join(",")),
  ),
  token: anyString,
  access_token: anyString,
};

const query = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(
        fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom(...Object.keys(QUERY_VALUES)) },
          { weight: 1, arbitrary: anyString },
        ),
        { maxLength: 6 },
      )
      .chain((keys) =>
        fc
          .tuple(
            ...keys.map(
              (k) => (Object.hasOwn(QUERY_VALUES, k) ? QUERY_VALUES[k] : null) ?? anyString,
            ),
          )
          .map((values) =>
            new URLSearchParams(keys.map((k, i) => [k, values[i] ?? ""])).toString(),
          ),
      ),
  },
  { weight: 1, arbitrary: fc.array(urlPart, { maxLength: 4 }).map((parts) => parts.join("&")) },
);

/** Stands for the cookie of a live session of the "both" node, logged in when needed. */
const LOGGED_IN = "<logged-in>";
let sessionCookie: string | null = null;

async function login(): Promise<string> {
  const res = await nodes.both.app.request(
    "http://127.0.0.1:7070/api/v1/session",
    { method: "POST", body: JSON.stringify({ token: TOKEN }) },
    { clientAddress: "127.0.0.1" },
  );
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 200 || !cookie)
    throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return cookie;
}

/** Header values a client can really send: Latin-1 without line breaks or NUL. */
const headerText = anyString.map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, ""));

const headers = fc.record(
  {
    authorization: fc.oneof(
      { weight: 8, arbitrary: fc.constant(`Bearer ${TOKEN}`) },
      { weight: 1, arbitrary: headerText.map((t) => `Bearer ${t}`) },
      { weight: 1, arbitrary: headerText },
    ),
    cookie: fc.oneof(
      { weight: 2, arbitrary: fc.constant(LOGGED_IN) },
      { weight: 1, arbitrary: headerText.map((t) => `hwm_session=${t}`) },
      { weight: 1, arbitrary: headerText.map((t) => `__Host-hwm_session=${t}`) },
      { weight: 1, arbitrary: headerText },
    ),
    origin: fc.oneof(
      fc.constantFrom("http://127.0.0.1:7070", "http://evil.example", "null"),
      headerText,
    ),
    "content-type": fc.oneof(
      fc.constantFrom("application/json", "text/plain", "application/json; charset=utf-8"),
      headerText,
    ),
    "sec-websocket-protocol": fc.oneof(fc.constant(`hwm.v1, hwm.token.${TOKEN}`), headerText),
  },
  { requiredKeys: [] },
);

const requestBody = fc.oneof(
  fc.constant(JSON.stringify({ token: TOKEN })),
  anyString.map((token) => JSON.stringify({ token })),
  anyJson.map((j) => JSON.stringify(j) ?? ""),
  anyString,
  hostileJsonText,
  fc.integer({ min: 60_000, max: 70_000 }).map((n) => "x".repeat(n)),
);

const request = fc.record({
  node: fc.constantFrom("sender", "both", "both", "both", "open", "receiverNoHistory"),
  base: fc.constantFrom(
    "http://127.0.0.1:7070",
    "http://localhost",
    "http://example.com",
    "http://[::1]:7070",
  ),
  method: fc.constantFrom(
    "GET",
    "GET",
    "GET",
    "GET",
    "POST",
    "DELETE",
    "PUT",
    "PATCH",
    "HEAD",
    "OPTIONS",
  ),
  path,
  query,
  headers,
  body: requestBody,
  clientAddress: fc.oneof(fc.constant("192.0.2.1"), fc.ipV4(), fc.ipV6()),
});

type FuzzRequest = typeof request extends fc.Arbitrary<infer R> ? R : never;

// --- what a good answer is ---

const ROUTE_SCHEMAS: [RegExp, v.GenericSchema][] = [
  [/^\/api\/v1\/info$/, HostInfoSchema],
  [/^\/api\/v1\/snapshot$/, SnapshotSchema],
  [/^\/api\/v1\/hosts$/, HostsResponseSchema],
  [/^\/api\/v1\/hosts\/[^/]+\/history$/, HistoryResponseSchema],
  [/^\/api\/v1\/history$/, FleetHistoryResponseSchema],
  [/^\/api\/v1\/alerts$/, AlertsResponseSchema],
  [/^\/api\/v1\/session$/, v.object({ ok: v.literal(true) })],
];

/** A 400 names the parameter or input at fault. */
const NAMES_THE_INPUT =
  /^(metrics|from|to|step|agg|hosts|sections): |token|JSON|expected|request body|origin/i;

function pathnameOf(path: string): string {
  return URL.parse(path, "http://x")?.pathname ?? path;
}

/** How many answers of each status a run saw: a fuzzer that only ever gets 401s tests little. */
const statuses = new Map<number, number>();

async function check(req: FuzzRequest): Promise<void> {
  const node = nodes[req.node as keyof typeof nodes];
  const url = `${req.base}${req.path}${req.query ? `?${req.query}` : ""}`;
  const headers: Record<string, string> = { ...req.headers };
  if (headers.cookie === LOGGED_IN) {
    sessionCookie ??= await login();
    headers.cookie = sessionCookie;
  }
  // A logout (or any session request) may end the session: log in afresh next time.
  if (pathnameOf(req.path) === "/api/v1/session") sessionCookie = null;
  const init: RequestInit = { method: req.method, headers };
  if (req.method !== "GET" && req.method !== "HEAD") init.body = req.body;
  let res: Response;
  try {
    res = await node.app.request(url, init, { clientAddress: req.clientAddress });
  } catch (err) {
    // new Request() itself refuses some URLs: not something a server ever receives.
    if (err instanceof TypeError && /URL|url/.test(err.message)) return;
    throw err;
  }
  const text = await res.text();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const where = `${req.method} ${url} → ${res.status} ${text.slice(0, 300)}\n${logged.join("\n")}`;
  if (res.status >= 500) throw new Error(`server error: ${where}`);
  if (req.method === "HEAD") return;
  const pathname = new URL(url).pathname;
  if (res.status >= 400) {
    let body: { error?: { code?: unknown; message?: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`an error that is not JSON: ${where}`);
    }
    if (typeof body.error?.code !== "string" || typeof body.error.message !== "string") {
      throw new Error(`an error without code and message: ${where}`);
    }
    if (body.error.message.trim() === "") throw new Error(`an empty error message: ${where}`);
    if (res.status === 400 && !NAMES_THE_INPUT.test(body.error.message)) {
      throw new Error(`a 400 that does not say what was wrong: ${where}`);
    }
    return;
  }
  if (res.status === 200 && req.method === "GET" && pathname === "/healthz") {
    expect(text).toBe("ok");
    return;
  }
  if (res.status === 200 && req.method === "GET" && pathname === "/metrics") {
    // A receiver with no hosts yet has nothing to expose: an empty body is right then.
    expect(text === "" || text.includes("# TYPE")).toBe(true);
    return;
  }
  const schema = ROUTE_SCHEMAS.find(([re]) => re.test(pathname))?.[1];
  if (!schema) throw new Error(`a success from an unexpected route: ${where}`);
  const parsed = v.safeParse(schema, JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`an answer off its schema (${v.getDotPath(parsed.issues[0])}): ${where}`);
  }
}

describe("HTTP fuzzing", () => {
  test(`every route, parameter and header: no 500, errors in JSON (${RUNS} cases)`, async () => {
    await fuzzAsync(
      "every route, parameter and header",
      fc.asyncProperty(request, async (req) => {
        logged.length = 0;
        await check(req);
      }),
    );
  }, 120_000);

  test(`the history routes' parameters (${RUNS} cases)`, async () => {
    const historyRequest = fc.record({
      path: fc.constantFrom(`/api/v1/hosts/${HOST}/history`, "/api/v1/history"),
      metrics: metricList,
      from: fc.option(
        fc.oneof(
          {
            weight: 3,
            arbitrary: fc.constantFrom("-5m", "-1h", "-6h", "-24h", "-7d", "-30d", "-400d"),
          },
          { weight: 1, arbitrary: time },
        ),
      ),
      to: fc.option(
        fc.oneof({ weight: 3, arbitrary: fc.constant("now") }, { weight: 1, arbitrary: time }),
        { freq: 2 },
      ),
      step: fc.option(QUERY_VALUES.step as fc.Arbitrary<string>, { freq: 2 }),
      agg: fc.option(QUERY_VALUES.agg as fc.Arbitrary<string>, { freq: 2 }),
      hosts: fc.option(QUERY_VALUES.hosts as fc.Arbitrary<string>, { freq: 2 }),
    });
    await fuzzAsync(
      "the history routes' parameters",
      fc.asyncProperty(historyRequest, async ({ path, ...params }) => {
        logged.length = 0;
        const search = new URLSearchParams();
        for (const [k, value] of Object.entries(params)) if (value !== null) search.set(k, value);
        await check({
          node: "both",
          base: "http://127.0.0.1:7070",
          method: "GET",
          path,
          query: search.toString(),
          headers: { authorization: `Bearer ${TOKEN}` },
          body: "",
          clientAddress: "127.0.0.1",
        });
      }),
    );
  }, 120_000);
});
