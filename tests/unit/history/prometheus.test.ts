// The Prometheus history backend against a fake query API on loopback: the PromQL of every family,
// escaping, one request per metric for many hosts, answers turned into points, errors for users.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "bun";
import {
  HistoryError,
  type HistoryQuery,
  MAX_POINTS,
  MAX_SERIES,
} from "../../../src/history/backend.ts";
import { METRIC_FAMILIES, type MetricRef, parseMetric } from "../../../src/history/metrics.ts";
import { PrometheusHistory, type PrometheusOptions } from "../../../src/history/prometheus.ts";
import {
  buildQuery,
  promString,
  type QueryShape,
  re2Literal,
  untranslatedFamilies,
} from "../../../src/history/prometheus-promql.ts";
import { createLogger } from "../../../src/log.ts";
import { externalTool } from "../../helpers/tools.ts";

const TOKEN = "prom-secret-0123456789abcdef";
const promtool = externalTool("promtool", "prometheus", "promtool on the generated PromQL");

const metric = (name: string): MetricRef => {
  const ref = parseMetric(name);
  if ("error" in ref) throw new Error(ref.error);
  return ref;
};

/** The PromQL for one metric name over one host ("a:1" unless told), step 10 s. */
function promql(name: string, over: Partial<QueryShape> = {}): string | null {
  const ref = metric(name);
  return (
    buildQuery(ref.family, {
      hostLabel: "instance",
      hostValues: ["a:1"],
      key: ref.key,
      agg: "avg",
      stepMs: 10_000,
      ...over,
    })?.promql ?? null
  );
}

describe("translation", () => {
  test("every family of the catalog has a translation", () => {
    expect(untranslatedFamilies()).toEqual([]);
  });

  test("gauges: a mean per step, ratios ×100, hertz to MHz, mode and key as matchers", () => {
    expect(promql("cpu.total_pct")).toBe(
      '100 * avg by (instance) (avg_over_time(hwm_cpu_usage_ratio{instance="a:1"}[60s]))',
    );
    expect(promql("cpu.iowait_pct")).toBe(
      '100 * avg by (instance) (avg_over_time(hwm_cpu_mode_ratio{instance="a:1", mode="iowait"}[60s]))',
    );
    expect(promql("cpu.freq_mhz")).toBe(
      'avg by (instance) (avg_over_time(hwm_cpu_frequency_hertz{instance="a:1"}[60s])) / 1e6',
    );
    expect(promql("gpus[1].util_pct")).toBe(
      '100 * avg by (instance) (avg_over_time(hwm_gpu_utilization_ratio{instance="a:1", gpu="1"}[60s]))',
    );
    expect(promql("cpu.cores_pct[3]")).toContain(
      'hwm_cpu_core_usage_ratio{instance="a:1", core="3"}',
    );
    expect(promql("uptime_s")).toContain("hwm_uptime_seconds{");
    expect(promql("memory.cached_bytes")).toContain("hwm_memory_cached_bytes{");
    expect(promql("memory.swap_total_bytes")).toContain("hwm_swap_total_bytes{");
    expect(promql("disks[/var].total_bytes")).toContain(
      'hwm_filesystem_size_bytes{instance="a:1", mount="/var"}',
    );
  });

  test("a step longer than the minimum window is the window", () => {
    expect(promql("cpu.total_pct", { stepMs: 3_600_000 })).toContain("[3600s]");
    expect(promql("cpu.total_pct", { stepMs: 90_500 })).toContain("[90500ms]");
    expect(promql("network[eth0].rx_bps", { stepMs: 300_000 })).toBe(
      'avg by (instance) (rate(hwm_network_receive_bytes_total{instance="a:1", iface="eth0"}[300s]))',
    );
  });

  test("agg max: max_over_time on gauges, a subquery over rates", () => {
    expect(promql("cpu.total_pct", { agg: "max" })).toBe(
      '100 * max by (instance) (max_over_time(hwm_cpu_usage_ratio{instance="a:1"}[60s]))',
    );
    expect(promql("disk_io[sda].write_bps", { agg: "max", stepMs: 3_600_000 })).toBe(
      'max by (instance) (max_over_time(rate(hwm_disk_written_bytes_total{instance="a:1", device="sda"}[180s])[3600s:180s]))',
    );
    expect(promql("sensors.max_celsius", { agg: "max" })).toBe(
      'max by (instance) (max_over_time(hwm_sensor_temperature_celsius{instance="a:1"}[60s]))',
    );
  });

  test("rates come from the _total counters, never from the _per_second gauges", () => {
    for (const family of METRIC_FAMILIES) {
      for (const agg of ["avg", "max"] as const) {
        const q = promql(family.key ? family.name.replace("[]", "[*]") : family.name, { agg });
        expect(q).not.toContain("_per_second");
      }
    }
    expect(promql("network[*].tx_bps")).toBe(
      'avg by (instance, iface) (rate(hwm_network_transmit_bytes_total{instance="a:1"}[60s]))',
    );
    expect(promql("disk_io[*].read_bps")).toContain("rate(hwm_disk_read_bytes_total{");
  });

  test("computed percentages: memory and swap of their totals, disks as df shows them", () => {
    expect(promql("memory.used_pct")).toBe(
      'avg_over_time((100 * avg by (instance) (hwm_memory_used_bytes{instance="a:1"}) / avg by (instance) (hwm_memory_total_bytes{instance="a:1"}))[60s:3s])',
    );
    expect(promql("memory.swap_used_pct", { agg: "max" })).toStartWith(
      "max_over_time((100 * avg by (instance) (hwm_swap_used_bytes{",
    );
    expect(promql("disks[/].used_pct")).toBe(
      'avg_over_time((100 * avg by (instance) (hwm_filesystem_used_bytes{instance="a:1", mount="/"}) / (avg by (instance) (hwm_filesystem_used_bytes{instance="a:1", mount="/"}) + avg by (instance) (hwm_filesystem_available_bytes{instance="a:1", mount="/"})))[60s:3s])',
    );
    expect(promql("disks.max_used_pct")).toBe(
      'avg_over_time((max by (instance) (100 * avg by (instance, mount) (hwm_filesystem_used_bytes{instance="a:1"}) / (avg by (instance, mount) (hwm_filesystem_used_bytes{instance="a:1"}) + avg by (instance, mount) (hwm_filesystem_available_bytes{instance="a:1"}))))[60s:3s])',
    );
    expect(promql("sensors.max_celsius")).toBe(
      'avg_over_time((max by (instance) (hwm_sensor_temperature_celsius{instance="a:1"}))[60s:3s])',
    );
  });

  test("[*] groups by the key's labels; a concrete key matches them", () => {
    const ref = metric("sensors[*].celsius");
    const built = buildQuery(ref.family, {
      hostLabel: "host",
      hostValues: ["pve"],
      key: "*",
      agg: "avg",
      stepMs: 10_000,
    });
    expect(built).toEqual({
      promql:
        'avg by (host, chip, sensor) (avg_over_time(hwm_sensor_temperature_celsius{host="pve"}[60s]))',
      keyLabels: ["chip", "sensor"],
    });
    // The chip ends at the first "/"; the label keeps the rest.
    expect(promql("sensors[coretemp/Core 0/1].celsius")).toContain(
      'chip="coretemp", sensor="Core 0/1"',
    );
    expect(promql("sensors[nochip].celsius")).toBeNull();
    expect(promql("sensors[coretemp/].celsius")).toBeNull();
  });

  test("cpu.load: the key picks the metric; [*] labels each of the three", () => {
    expect(promql("cpu.load[1m]")).toBe(
      'avg by (instance) (avg_over_time(hwm_load1{instance="a:1"}[60s]))',
    );
    expect(promql("cpu.load[15m]", { agg: "max" })).toContain("max_over_time(hwm_load15{");
    expect(promql("cpu.load[2m]")).toBeNull();
    const all = promql("cpu.load[*]") ?? "";
    expect(all.split(" or ")).toHaveLength(3);
    expect(all).toContain(
      'label_replace(avg by (instance) (avg_over_time(hwm_load5{instance="a:1"}[60s])), "load", "5m", "__name__", ".*")',
    );
  });

  test("many hosts: one regex matcher, every value escaped for RE2 inside a PromQL string", () => {
    const q = promql("cpu.total_pct", { hostValues: ["10.0.0.1:7070", "a|b", 'q"x\\y'] }) ?? "";
    expect(q).toContain('instance=~"10\\\\.0\\\\.0\\\\.1:7070|a\\\\|b|q\\"x\\\\\\\\y"');
  });

  test("promString escapes backslashes, quotes and control characters", () => {
    expect(promString('say "hi"')).toBe('"say \\"hi\\""');
    expect(promString("C:\\disk")).toBe('"C:\\\\disk"');
    expect(promString("a\nb\tc\rd\u0001")).toBe('"a\\nb\\tc\\rd\\x01"');
    expect(promString("Package id 0 · ü")).toBe('"Package id 0 · ü"');
  });

  test("re2Literal: an alternation of escaped values matches exactly those values", () => {
    const values = ["a.b", "x|y", "(z)", "p+q*", "[r]", "{s}", "^t$", "back\\slash", "what?"];
    const re = new RegExp(`^(?:${values.map(re2Literal).join("|")})$`);
    for (const v of values) expect(re.test(v)).toBe(true);
    for (const v of ["aXb", "x", "y", "z", "pq", "ppq", "r", "s", "t", "backslash", "what"]) {
      expect(re.test(v)).toBe(false);
    }
  });

  test.skipIf(promtool.skip)("promtool parses the query of every family, key and aggregate", () => {
    const rules: string[] = [];
    const hostValues = ["a:1", "b.c:2", 'q"\\|'];
    for (const family of METRIC_FAMILIES) {
      const keys = family.key
        ? ["*", family.name === "cpu.load[]" ? "5m" : 'chip/odd "key" \\ .*']
        : [null];
      for (const key of keys) {
        for (const agg of ["avg", "max"] as const) {
          for (const stepMs of [1000, 3_600_000]) {
            const built = buildQuery(family, {
              hostLabel: "instance",
              hostValues,
              key,
              agg,
              stepMs,
            });
            expect([family.name, key, built === null]).toEqual([family.name, key, false]);
            rules.push(
              `      - record: r${rules.length}\n        expr: ${JSON.stringify(built?.promql)}`,
            );
          }
        }
      }
    }
    const dir = mkdtempSync(join(tmpdir(), "hwm-promql-"));
    try {
      const file = join(dir, "rules.yml");
      writeFileSync(file, `groups:\n  - name: hwm\n    rules:\n${rules.join("\n")}\n`);
      const check = Bun.spawnSync([promtool.path(), "check", "rules", file]);
      const output = check.stdout.toString() + check.stderr.toString();
      expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(check.exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// --- a fake query API ---

interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  form: URLSearchParams;
}

let server: Server<undefined>;
let handle: (form: URLSearchParams, req: Request) => Response | Promise<Response>;
let seen: Seen[] = [];
let inFlight = 0;
let maxInFlight = 0;
let logLines: string[] = [];
const open: PrometheusHistory[] = [];

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const form = new URLSearchParams(await req.text());
      const url = new URL(req.url);
      seen.push({
        method: req.method,
        path: url.pathname,
        authorization: req.headers.get("authorization"),
        form,
      });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await handle(form, req);
      } finally {
        inFlight--;
      }
    },
  });
});
afterAll(() => {
  server.stop(true);
});
afterEach(() => {
  for (const h of open.splice(0)) h.close();
  seen = [];
  logLines = [];
  maxInFlight = 0;
});

const base = () => `http://127.0.0.1:${server.port}`;

function reader(over: Partial<PrometheusOptions> = {}): PrometheusHistory {
  const h = new PrometheusHistory({
    url: base(),
    token: TOKEN,
    label: "instance",
    hostLabel: (id) => (id.startsWith("unknown") ? null : `${id}:7070`),
    log: createLogger("debug", (line) => logLines.push(line)),
    ...over,
  });
  open.push(h);
  return h;
}

type Labels = Record<string, string>;
const matrix = (result: { metric: Labels; values: [number, string][] }[]) =>
  Response.json({ status: "success", data: { resultType: "matrix", result } });

const Q = (over: Partial<HistoryQuery> = {}): HistoryQuery => ({
  hosts: ["pve"],
  metrics: [metric("cpu.total_pct")],
  fromMs: 1_700_000_000_000,
  toMs: 1_700_000_600_000,
  stepMs: 10_000,
  agg: "avg",
  ...over,
});

describe("requests", () => {
  test("POST query_range with seconds, the step, the bearer token; steps start at multiples", async () => {
    handle = () => matrix([]);
    await reader().query(Q({ fromMs: 1_700_000_003_000, toMs: 1_700_000_607_000 }));
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe("/api/v1/query_range");
    expect(req?.authorization).toBe(`Bearer ${TOKEN}`);
    // Each step evaluated at its end: the first step starts at 1_700_000_000 s.
    expect(req?.form.get("start")).toBe("1700000010");
    expect(req?.form.get("end")).toBe("1700000610");
    expect(req?.form.get("step")).toBe("10");
    expect(req?.form.get("query")).toContain('instance="pve:7070"');
  });

  test("no token, no Authorization header; a base URL with a path prefix keeps it", async () => {
    handle = () => matrix([]);
    await reader({ token: null, url: `${base()}/prom/` }).query(Q());
    expect(seen[0]?.authorization).toBeNull();
    expect(seen[0]?.path).toBe("/prom/api/v1/query_range");
  });

  test("the fleet: one request per metric, covering every host", async () => {
    handle = () => matrix([]);
    await reader().query(
      Q({
        hosts: ["a", "b", "c", "unknown-1"],
        metrics: [metric("cpu.total_pct"), metric("network[*].rx_bps")],
      }),
    );
    expect(seen).toHaveLength(2);
    for (const req of seen)
      expect(req.form.get("query")).toContain('instance=~"a:7070|b:7070|c:7070"');
  });

  test("hosts without a label value ask nothing and answer no series", async () => {
    handle = () => matrix([]);
    const answer = await reader().query(Q({ hosts: ["unknown-1"] }));
    expect(seen).toHaveLength(0);
    expect(answer.hosts.get("unknown-1")?.size).toBe(0);
  });

  test("the step: chosen for about 300 points, at least 1 s, never more than MAX_POINTS", async () => {
    handle = () => matrix([]);
    const h = reader();
    expect((await h.query(Q({ stepMs: null, toMs: 1_700_003_600_000 }))).stepMs).toBe(12_000);
    expect((await h.query(Q({ stepMs: 100 }))).stepMs).toBe(1000);
    const month = await h.query(Q({ stepMs: 1000, toMs: 1_700_000_000_000 + 30 * 86_400_000 }));
    expect(month.stepMs).toBe(1_296_000);
    const last = seen.at(-1)?.form;
    const points =
      (Number(last?.get("end")) - Number(last?.get("start"))) / Number(last?.get("step")) + 1;
    expect(points).toBeLessThanOrEqual(MAX_POINTS);
  });

  test("requests for many metrics go at most four at a time", async () => {
    handle = async () => {
      await Bun.sleep(30);
      return matrix([]);
    };
    const names = ["cpu.total_pct", "cpu.user_pct", "cpu.system_pct", "cpu.iowait_pct"];
    names.push("cpu.steal_pct", "cpu.freq_mhz", "uptime_s", "memory.used_bytes");
    await reader().query(Q({ metrics: names.map(metric) }));
    expect(seen).toHaveLength(8);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });
});

describe("answers", () => {
  test("points: [s, string] → [start of the step in ms, number]; NaN and ±Inf dropped", async () => {
    handle = () =>
      matrix([
        {
          metric: { instance: "pve:7070" },
          values: [
            [1_700_000_010, "12.5"],
            [1_700_000_020, "NaN"],
            [1_700_000_030, "+Inf"],
            [1_700_000_040, "-Inf"],
            [1_700_000_050.5, "1e2"],
          ],
        },
        { metric: { instance: "elsewhere:7070" }, values: [[1_700_000_010, "99"]] },
      ]);
    const answer = await reader().query(Q());
    expect([...answer.hosts.keys()]).toEqual(["pve"]);
    expect(answer.hosts.get("pve")?.get("cpu.total_pct")).toEqual([
      [1_700_000_000_000, 12.5],
      [1_700_000_040_500, 100],
    ]);
  });

  test("[*]: one series per key and host, named as the recorder names them", async () => {
    handle = () =>
      matrix([
        {
          metric: { instance: "a:7070", chip: "coretemp", sensor: "Package id 0" },
          values: [[1_700_000_010, "45"]],
        },
        {
          metric: { instance: "b:7070", chip: "nvme", sensor: "Composite" },
          values: [[1_700_000_010, "38"]],
        },
        { metric: { instance: "b:7070", chip: "nvme" }, values: [[1_700_000_010, "1"]] },
        {
          metric: { instance: "b:7070", chip: "nvme", sensor: "x" },
          values: [[1_700_000_010, "NaN"]],
        },
      ]);
    const answer = await reader().query(
      Q({ hosts: ["a", "b"], metrics: [metric("sensors[*].celsius")] }),
    );
    expect([...(answer.hosts.get("a") ?? [])]).toEqual([
      ["sensors[coretemp/Package id 0].celsius", [[1_700_000_000_000, 45]]],
    ]);
    expect([...(answer.hosts.get("b") ?? [])]).toEqual([
      ["sensors[nvme/Composite].celsius", [[1_700_000_000_000, 38]]],
    ]);
  });

  test("a concrete key names the series with it; a long [*] key is cut as the recorder cuts it", async () => {
    const long = "v".repeat(200);
    handle = (form) =>
      matrix([
        {
          metric: form.get("query")?.includes('iface="eth0"')
            ? { instance: "pve:7070" }
            : { instance: "pve:7070", iface: long },
          values: [[1_700_000_010, "5"]],
        },
      ]);
    const answer = await reader().query(
      Q({ metrics: [metric("network[eth0].rx_bps"), metric("network[*].tx_bps")] }),
    );
    expect([...(answer.hosts.get("pve")?.keys() ?? [])]).toEqual([
      "network[eth0].rx_bps",
      `network[${"v".repeat(128)}].tx_bps`,
    ]);
  });

  test("cpu.load[*] series are named by their load label", async () => {
    handle = () =>
      matrix(
        ["1m", "5m", "15m"].map((load, i) => ({
          metric: { instance: "pve:7070", load },
          values: [[1_700_000_010, String(i)]],
        })),
      );
    const answer = await reader().query(Q({ metrics: [metric("cpu.load[*]")] }));
    expect([...(answer.hosts.get("pve")?.keys() ?? [])]).toEqual([
      "cpu.load[1m]",
      "cpu.load[5m]",
      "cpu.load[15m]",
    ]);
  });

  test("the label host: the id itself", async () => {
    handle = () => matrix([{ metric: { host: "pve-web" }, values: [[1_700_000_010, "1"]] }]);
    const answer = await reader({ label: "host", hostLabel: (id) => id }).query(
      Q({ hosts: ["pve-web"] }),
    );
    expect(seen[0]?.form.get("query")).toContain('{host="pve-web"}');
    expect(answer.hosts.get("pve-web")?.get("cpu.total_pct")).toEqual([[1_700_000_000_000, 1]]);
  });

  test(`at most MAX_SERIES (${MAX_SERIES}) series per answer`, async () => {
    handle = () =>
      matrix(
        Array.from({ length: MAX_SERIES + 100 }, (_, i) => ({
          metric: { instance: "pve:7070", iface: `veth${i}` },
          values: [[1_700_000_010, "1"]],
        })),
      );
    const answer = await reader().query(Q({ metrics: [metric("network[*].rx_bps")] }));
    expect(answer.hosts.get("pve")?.size).toBe(MAX_SERIES);
    expect(logLines.some((l) => l.includes("series limit") && l.includes("left_out=100"))).toBe(
      true,
    );
  });
});

describe("errors", () => {
  async function failure(h: PrometheusHistory, q: HistoryQuery = Q()): Promise<string> {
    try {
      await h.query(q);
    } catch (err) {
      expect(err).toBeInstanceOf(HistoryError);
      return (err as Error).message;
    }
    throw new Error("the query did not fail");
  }

  test("a bad query: Prometheus' own error", async () => {
    handle = () =>
      Response.json(
        { status: "error", errorType: "bad_data", error: 'parse error: unexpected "}"' },
        { status: 400 },
      );
    expect(await failure(reader())).toBe(
      'Prometheus refused the query: parse error: unexpected "}"',
    );
    handle = () =>
      Response.json(
        {
          status: "error",
          errorType: "execution",
          error: "query processing would load too many samples into memory",
        },
        { status: 422 },
      );
    expect(await failure(reader())).toBe(
      "Prometheus refused the query: query processing would load too many samples into memory",
    );
  });

  test("a server error, with the body's first line when it is not JSON", async () => {
    handle = () => Response.json({ status: "error", error: "tsdb closed" }, { status: 503 });
    expect(await failure(reader())).toBe(`Prometheus at ${base()} failed (HTTP 503): tsdb closed`);
    handle = () => new Response("\n<html>Bad Gateway</html>\nmore", { status: 502 });
    expect(await failure(reader())).toBe(
      `Prometheus at ${base()} failed (HTTP 502): <html>Bad Gateway</html>`,
    );
  });

  test("refused credentials, a wrong path", async () => {
    handle = () => new Response("unauthorized", { status: 401 });
    expect(await failure(reader())).toBe(
      `Prometheus at ${base()} refused our credentials (HTTP 401); check history.token_file`,
    );
    handle = () => new Response("404 page not found", { status: 404 });
    expect(await failure(reader())).toContain("has no query API there (HTTP 404)");
  });

  test("a redirect is not followed", async () => {
    handle = (_form, req) =>
      new URL(req.url).pathname.startsWith("/elsewhere")
        ? matrix([])
        : new Response(null, {
            status: 302,
            headers: { location: "/elsewhere/api/v1/query_range?x=1" },
          });
    const message = await failure(reader());
    expect(message).toBe(
      `Prometheus at ${base()} answered with a redirect (HTTP 302 to ${base()}/elsewhere/api/v1/query_range); set history.url to the address it leads to`,
    );
    expect(seen.map((s) => s.path)).toEqual(["/api/v1/query_range"]);
  });

  test("an answer that is not JSON, or not a matrix", async () => {
    handle = () => new Response("<html>login</html>", { headers: { "content-type": "text/html" } });
    expect(await failure(reader())).toBe(
      `Prometheus at ${base()} answered with something other than JSON (HTTP 200, text/html): is history.url the base URL of its query API?`,
    );
    handle = () => Response.json({ status: "success", data: { resultType: "vector", result: [] } });
    expect(await failure(reader())).toContain("not a range query's matrix");
    handle = () => Response.json({ status: "error", error: "too many points" });
    expect(await failure(reader())).toBe("Prometheus refused the query: too many points");
  });

  test("no answer within the timeout", async () => {
    handle = async () => {
      await Bun.sleep(1000);
      return matrix([]);
    };
    const started = performance.now();
    expect(await failure(reader({ timeoutMs: 150 }))).toBe(
      `Prometheus at ${base()} did not answer within 0.15 s`,
    );
    expect(performance.now() - started).toBeLessThan(900);
  });

  test("a body that never ends is cut by the same timeout", async () => {
    handle = () =>
      new Response(
        new ReadableStream({
          async pull(controller) {
            await Bun.sleep(20);
            controller.enqueue(new TextEncoder().encode(" "));
          },
        }),
      );
    expect(await failure(reader({ timeoutMs: 200 }))).toContain("did not answer within 0.2 s");
  });

  test("nobody listening", async () => {
    const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const url = `http://127.0.0.1:${closed.port}`;
    closed.stop(true);
    expect(await failure(reader({ url }))).toBe(
      `Prometheus at ${url} cannot be reached: connection refused`,
    );
  });

  test("a huge error body is read only in part", async () => {
    handle = () =>
      new Response(`${"x".repeat(2000)}\n${"y".repeat(4 * 1024 * 1024)}`, { status: 500 });
    const message = await failure(reader());
    expect(message.length).toBeLessThan(500);
    expect(message).toStartWith(`Prometheus at ${base()} failed (HTTP 500): xxx`);
  });

  test("the token never shows: not in messages, not in logs, not from the URL's user part", async () => {
    handle = (_f, req) =>
      Response.json(
        { status: "error", error: `bad header ${req.headers.get("authorization")}` },
        { status: 400 },
      );
    const message = await failure(reader());
    expect(message).toBe("Prometheus refused the query: bad header Bearer [token]");
    handle = () => new Response("down", { status: 503 });
    const withUser = `http://admin:${TOKEN}@127.0.0.1:${server.port}`;
    const h = reader({ url: withUser });
    expect(await failure(h)).not.toContain(TOKEN);
    expect(logLines.join("\n")).not.toContain(TOKEN);
    expect(logLines.some((l) => l.includes("history from Prometheus fails"))).toBe(true);
  });

  test("a failure is logged once when it starts, recovery once when it ends", async () => {
    const h = reader();
    handle = () => new Response("down", { status: 503 });
    await failure(h);
    await failure(h);
    handle = () => matrix([]);
    await h.query(Q());
    await h.query(Q());
    const lines = logLines.filter((l) => !l.includes(" debug "));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("warn history from Prometheus fails");
    expect(lines[1]).toContain("info history from Prometheus answers again");
  });

  test("close() cancels what is in flight, and later queries fail", async () => {
    handle = async () => {
      await Bun.sleep(2000);
      return matrix([]);
    };
    const h = reader();
    const pending = h.query(Q());
    await Bun.sleep(50);
    h.close();
    await expect(pending).rejects.toThrow("the history query was cancelled");
    await expect(h.query(Q())).rejects.toThrow(HistoryError);
  });
});
