// History read back through a real Prometheus that scrapes two real senders: the right host's
// series, plausible values at the asked step, every translated family accepted by Prometheus.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import type { HistoryAnswer, HistoryQuery, Point } from "../../src/history/backend.ts";
import { METRIC_FAMILIES, type MetricRef, parseMetric } from "../../src/history/metrics.ts";
import { PrometheusHistory } from "../../src/history/prometheus.ts";
import { silentLogger } from "../../src/log.ts";
import { ROOT, type RunningProcess, startHwm, TOKEN } from "../helpers/process.ts";
import {
  prometheusBinary,
  type RunningPrometheus,
  startPrometheus,
  waitForScrapes,
} from "../helpers/prometheus.ts";

const bin = prometheusBinary();
if (bin === null)
  console.warn("prometheus not installed: the Prometheus history tests are skipped");

// "live" reads this machine; "vm" a captured tree whose counters never move (rates exactly 0).
const VM_TREE = resolve(ROOT, "tests/fixtures/linux/firecracker-vm");
const STEP_MS = 2000;

let live: RunningProcess;
let vm: RunningProcess;
let prometheus: RunningPrometheus;
let history: PrometheusHistory;
let startedMs: number;
const instanceOf = new Map<string, string>();

const metric = (name: string): MetricRef => {
  const ref = parseMetric(name);
  if ("error" in ref) throw new Error(ref.error);
  return ref;
};

function ask(over: Partial<HistoryQuery> & { metrics: MetricRef[] }): Promise<HistoryAnswer> {
  return history.query({
    hosts: ["live", "vm"],
    fromMs: startedMs - 10_000,
    toMs: Date.now(),
    stepMs: STEP_MS,
    agg: "avg",
    ...over,
  });
}

function seriesOf(answer: HistoryAnswer, host: string, name: string): Point[] {
  return answer.hosts.get(host)?.get(name) ?? [];
}

describe.skipIf(bin === null)("Prometheus history against a real Prometheus", () => {
  beforeAll(async () => {
    const args = ["--role", "sender", "--listen", "127.0.0.1:0", "--token", TOKEN, "--no-tui"];
    [live, vm] = await Promise.all([
      startHwm(args),
      startHwm([...args, "--procfs", `${VM_TREE}/proc`, "--sysfs", `${VM_TREE}/sys`]),
    ]);
    instanceOf.set("live", new URL(live.url).host);
    instanceOf.set("vm", new URL(vm.url).host);
    const targets = [...instanceOf.values()];
    startedMs = Date.now();
    prometheus = await startPrometheus({ bin: bin ?? "", targets, token: TOKEN });
    // Five scrapes: enough for a rate over two of them, and for a few steps of 2 s.
    await waitForScrapes(prometheus, targets, 5);
    history = new PrometheusHistory({
      url: prometheus.url,
      token: null,
      label: "instance",
      hostLabel: (id) => instanceOf.get(id) ?? null,
      log: silentLogger,
    });
  }, 60_000);

  afterAll(async () => {
    history?.close();
    await Promise.all([prometheus?.stop(), live?.stop(), vm?.stop()]);
  });

  test("cpu.total_pct: both hosts, in 0-100, the idle capture exactly 0, at the asked step", async () => {
    const answer = await ask({ metrics: [metric("cpu.total_pct")] });
    expect(answer.stepMs).toBe(STEP_MS);
    const livePoints = seriesOf(answer, "live", "cpu.total_pct");
    const vmPoints = seriesOf(answer, "vm", "cpu.total_pct");
    expect(livePoints.length).toBeGreaterThanOrEqual(3);
    expect(vmPoints.length).toBeGreaterThanOrEqual(3);
    for (const [, value] of livePoints) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
    expect(vmPoints.every(([, value]) => value === 0)).toBe(true);
    for (const points of [livePoints, vmPoints]) {
      for (const [ts] of points) {
        expect(ts % STEP_MS).toBe(0);
        expect(ts).toBeGreaterThanOrEqual(answer.fromMs - STEP_MS);
        expect(ts).toBeLessThanOrEqual(answer.toMs);
      }
      for (let i = 1; i < points.length; i++) {
        expect((points[i]?.[0] ?? 0) - (points[i - 1]?.[0] ?? 0)).toBe(STEP_MS);
      }
    }
  });

  test("agg max is never below the mean of the same step", async () => {
    const [avg, max] = await Promise.all([
      ask({ metrics: [metric("cpu.total_pct")] }),
      ask({ metrics: [metric("cpu.total_pct")], agg: "max" }),
    ]);
    const means = new Map(seriesOf(avg, "live", "cpu.total_pct"));
    const maxima = seriesOf(max, "live", "cpu.total_pct");
    expect(maxima.length).toBeGreaterThanOrEqual(3);
    let compared = 0;
    for (const [ts, value] of maxima) {
      const mean = means.get(ts);
      if (mean === undefined) continue;
      expect(value).toBeGreaterThanOrEqual(mean - 1e-9);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  });

  test("network[*].rx_bps: one series per interface and host, rates from the counters", async () => {
    const answer = await ask({ metrics: [metric("network[*].rx_bps")] });
    const vmNames = [...(answer.hosts.get("vm")?.keys() ?? [])].sort();
    // The capture's interfaces (its counters are static: every rate is 0).
    expect(vmNames).toEqual([
      "network[eth0].rx_bps",
      "network[ifb0].rx_bps",
      "network[ifb1].rx_bps",
    ]);
    for (const name of vmNames) {
      expect(seriesOf(answer, "vm", name).every(([, v]) => v === 0)).toBe(true);
    }
    const liveSeries = [...(answer.hosts.get("live") ?? [])];
    expect(liveSeries.length).toBeGreaterThan(0);
    for (const [name, points] of liveSeries) {
      expect(name).toMatch(/^network\[.+\]\.rx_bps$/);
      for (const [, v] of points) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(100e9 / 8);
      }
    }
  });

  test("disks[/].used_pct matches df's percentage of each sender's own numbers", async () => {
    const answer = await ask({ metrics: [metric("disks[/].used_pct")] });
    const exported: string[] = [];
    for (const [host, sender] of [
      ["live", live],
      ["vm", vm],
    ] as const) {
      const text = await (
        await fetch(`${sender.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).text();
      const value = (name: string) =>
        Number(new RegExp(`^${name}\\{mount="/",[^}]*\\} (\\S+)$`, "m").exec(text)?.[1]);
      const used = value("hwm_filesystem_used_bytes");
      const dfPct = (used / (used + value("hwm_filesystem_available_bytes"))) * 100;
      const points = seriesOf(answer, host, "disks[/].used_pct");
      // The capture's / is statfs'd only where this machine's / is the same device.
      if (!Number.isFinite(dfPct)) {
        expect([host, points]).toEqual([host, []]);
        continue;
      }
      exported.push(host);
      // A subquery samples every 3 s here: fewer points than scrapes right after the start.
      expect(points.length).toBeGreaterThanOrEqual(1);
      for (const [, v] of points) expect(Math.abs(v - dfPct)).toBeLessThan(1);
    }
    // This machine's / must be a filesystem hwm reports (not an overlay) for the test to mean much.
    expect(exported).toContain("live");
  });

  test("a host Prometheus does not scrape, or one without a label, has no series", async () => {
    const ghost = new PrometheusHistory({
      url: prometheus.url,
      token: null,
      label: "instance",
      hostLabel: (id) => (id === "ghost" ? "127.0.0.1:1" : null),
      log: silentLogger,
    });
    const answer = await ghost.query({
      hosts: ["ghost", "unlabelled"],
      metrics: [metric("cpu.total_pct"), metric("network[*].rx_bps")],
      fromMs: startedMs - 10_000,
      toMs: Date.now(),
      stepMs: STEP_MS,
      agg: "avg",
    });
    expect(answer.hosts.get("ghost")?.size).toBe(0);
    expect(answer.hosts.get("unlabelled")?.size).toBe(0);
    ghost.close();
  });

  test("every family, with [*] or a key, avg and max, is a query Prometheus accepts", async () => {
    const keyFor: Record<string, string> = {
      "cpu.load[]": "1m",
      "sensors[].celsius": "coretemp/Package id 0",
      "disks[].used_bytes": "/",
      "disks[].used_pct": "/",
      "disk_io[].read_bps": "vda",
    };
    const refs: MetricRef[] = METRIC_FAMILIES.flatMap((f) =>
      f.key === undefined
        ? [metric(f.name)]
        : [
            metric(f.name.replace("[]", "[*]")),
            metric(f.name.replace("[]", `[${keyFor[f.name] ?? "0"}]`)),
          ],
    );
    for (const agg of ["avg", "max"] as const) {
      const answer = await ask({ metrics: refs, agg });
      // What the capture surely has (and this machine's /), found through each kind of translation.
      const found = (host: string, name: string) => [
        agg,
        host,
        name,
        answer.hosts.get(host)?.has(name),
      ];
      for (const name of [
        "uptime_s",
        "cpu.user_pct",
        "cpu.freq_mhz",
        "cpu.cores_pct[0]",
        "cpu.load[1m]",
        "cpu.load[15m]",
        "memory.used_pct",
        "network[eth0].rx_bps",
        "network[ifb1].tx_bps",
        "disk_io[vda].read_bps",
      ]) {
        expect(found("vm", name)).toEqual([agg, "vm", name, true]);
      }
      for (const name of ["disks.max_used_pct", "disks[/].used_bytes", "disks[/].used_pct"]) {
        expect(found("live", name)).toEqual([agg, "live", name, true]);
      }
    }
  });

  test("cpu.load[*] names each load by its key", async () => {
    const answer = await ask({ metrics: [metric("cpu.load[*]")] });
    expect([...(answer.hosts.get("vm")?.keys() ?? [])].sort()).toEqual([
      "cpu.load[15m]",
      "cpu.load[1m]",
      "cpu.load[5m]",
    ]);
    // The capture's /proc/loadavg: 0.02 0.04 0.05.
    expect(seriesOf(answer, "vm", "cpu.load[5m]").every(([, v]) => Math.abs(v - 0.04) < 1e-9)).toBe(
      true,
    );
  });
});
