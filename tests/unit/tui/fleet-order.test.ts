// The fleet table in the web's orders (problems first until `s` picks the next, the header naming
// it), a down host's reason in its row, the OS column capped, `/` starting a filter empty,
// graphs that state their scale, and processes tied on CPU ordered by memory.
import { afterEach, describe, expect, test } from "bun:test";
import * as v from "valibot";
import { HostTrends } from "../../../src/client/host-trends.ts";
import { summarize } from "../../../src/client/summary.ts";
import { type HostState, HostStateSchema, type ProcessInfo } from "../../../src/protocol/index.ts";
import { fleetPanel } from "../../../src/tui/panels/fleet.ts";
import { gpusPanel } from "../../../src/tui/panels/gpus.ts";
import { memoryPanel } from "../../../src/tui/panels/memory.ts";
import { networkPanel } from "../../../src/tui/panels/network.ts";
import { sortProcesses } from "../../../src/tui/panels/processes.ts";
import { sensorsPanel } from "../../../src/tui/panels/sensors.ts";
import { lineText } from "../../../src/tui/text.ts";
import { busySnapshot, FakeSource, fleetHosts, NOW_MS } from "./fixtures.ts";
import { type Harness, startHarness } from "./harness.ts";

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const MiB = 1024 * 1024;

/** The fleet fixture plus a host whose token the receiver's sender refused. */
function hosts(): HostState[] {
  return [
    ...fleetHosts(),
    v.parse(HostStateSchema, {
      id: "nas-old",
      url: "http://nas-old:7070",
      status: "unauthorized",
      info: null,
      snapshot: null,
      last_seen_ms: null,
      last_error: "the sender refused the token (HTTP 401)",
    }),
  ];
}

async function fleet(width: number, height: number): Promise<Harness> {
  const source = new FakeSource({ kind: "receiver", link: "live", hosts: hosts(), session: 1 });
  harness = await startHarness(source, width, height);
  return harness;
}

/** Host ids in the order the table lists them. */
function order(lines: string[]): string[] {
  const ids = ["pve-web", "dns", "backup-nas", "nas-old"];
  return lines
    .map((l) => ids.find((id) => new RegExp(`[▸ ] ${id} `).test(l)))
    .filter((id): id is string => id !== undefined);
}

describe("the fleet's order", () => {
  test("problems first by default; s goes to name, CPU, memory, the header says which", async () => {
    const t = await fleet(120, 40);
    let lines = await t.lines();
    expect(lines[1]).toContain("sort: problems first (s)");
    // Down hosts first (by name), then the full disk, then the fine host.
    expect(order(lines)).toEqual(["backup-nas", "nas-old", "pve-web", "dns"]);
    await t.press("s");
    lines = await t.lines();
    expect(lines[1]).toContain("sort: name (s)");
    expect(lines[2]).toContain("HOST▲");
    expect(order(lines)).toEqual(["backup-nas", "dns", "nas-old", "pve-web"]);
    await t.press("s");
    lines = await t.lines();
    expect(lines[1]).toContain("sort: cpu (s)");
    expect(lines[2]).toContain("CPU▼");
    // The busiest first; hosts without a number last.
    expect(order(lines).slice(0, 2)).toEqual(["pve-web", "dns"]);
    await t.press("s");
    lines = await t.lines();
    expect(lines[1]).toContain("sort: memory (s)");
    expect(lines[2]).toContain("MEM▼");
    expect(order(lines).slice(0, 2)).toEqual(["pve-web", "dns"]);
  });

  test("a host that cannot be read says why in its row, at 80 columns too", async () => {
    for (const [w, h] of [
      [80, 24],
      [120, 40],
    ] as const) {
      const t = await fleet(w, h);
      const lines = await t.lines();
      const row = (id: string) => lines.find((l) => l.includes(` ${id} `)) ?? "";
      expect(row("backup-nas")).toContain("○ offline 3m");
      expect(row("backup-nas")).toContain("unreachable: connection refused");
      expect(row("nas-old")).toContain("unauthorized");
      expect(row("nas-old")).toContain("the sender refused the token");
      await t.dispose();
      harness = null;
    }
  });

  test("the OS column takes what its longest name needs, never more than 36 columns", () => {
    const long =
      "Ubuntu 24.04.1 LTS with a distribution name that goes on and on for ninety columns";
    const rows = fleetHosts().map((host) => {
      const h = host.info ? { ...host, info: { ...host.info, os: long } } : host;
      return { host: h, summary: summarize(h, NOW_MS) };
    });
    const content = fleetPanel(
      {
        rows,
        fleetSize: rows.length,
        selectedId: null,
        offset: 0,
        filter: "",
        order: "problems",
        nowMs: NOW_MS,
        datedSinceMs: null,
        cpuHistory: () => [],
      },
      { width: 240, height: 10 },
    );
    const dns = content.lines.map(lineText).find((l) => l.includes(" dns ")) ?? "";
    const os = dns.slice(dns.indexOf("Ubuntu"));
    expect(os.trimEnd().length).toBe(36);
    expect(os.trimEnd().endsWith("…")).toBe(true);
  });
});

describe("the filter", () => {
  test("/ starts a new filter empty; Esc gives the old one back", async () => {
    const t = await fleet(80, 24);
    for (const key of ["/", "d", "n", "s", "RETURN"]) await t.press(key);
    expect(t.dashboard.uiState.fleetFilter).toBe("dns");
    expect(order(await t.lines())).toEqual(["dns"]);
    await t.press("/");
    expect(t.dashboard.uiState.editing?.draft).toBe("");
    expect(order(await t.lines())).toHaveLength(4);
    await t.press("ESCAPE");
    expect(t.dashboard.uiState.fleetFilter).toBe("dns");
    expect(order(await t.lines())).toEqual(["dns"]);
  });
});

describe("graphs state their scale", () => {
  const trends = new HostTrends();
  for (let i = 0; i < 30; i++) {
    const snap = busySnapshot(NOW_MS + i * 1000, 40);
    // One spike of 12 MiB/s received on eth0.
    for (const n of snap.network ?? [])
      if (n.iface === "eth0") n.rx_bps = i === 20 ? 12 * MiB : MiB;
    trends.record(snap, NOW_MS + i * 1000, 1000);
  }
  const graphs = trends.graphs({ kind: "live", intervalMs: 1000 });
  const snapshot = busySnapshot(NOW_MS + 30_000);

  test("the network sparklines share one scale, its top in the title", () => {
    const content = networkPanel(snapshot.network, graphs, { width: 76, height: 2 });
    // Units are joined to their numbers by a no-break space.
    expect(content.title.replaceAll("\u00a0", " ")).toBe("network · 21s · max 12.0 MiB/s");
  });

  test("percentages go to 100 %, temperatures to 100 °C or the hottest reading", () => {
    expect(memoryPanel(snapshot.memory, graphs.memory, { width: 40, height: 6 }).title).toBe(
      "memory · 40s · max 100%",
    );
    const sensors = sensorsPanel(snapshot.sensors, graphs.sensor, { width: 60, height: 3 });
    expect(sensors.title).toMatch(/^sensors · \d+s · max 100°C$/);
    // Each sensor on its line with its graph: the last 30 s of the coretemp package at 71 °C.
    expect(lineText(sensors.lines[0] ?? [])).toMatch(/coretemp Package id 0\s+71°C [▁-█ ]+▆$/);
  });

  test("a GPU with a line to spare gets its utilisation's sparkline", () => {
    const gpus = gpusPanel(snapshot.gpus, graphs.gpu, { width: 70, height: 2 });
    expect(gpus.title.replaceAll("\u00a0", " ")).toBe("gpus 1 · 1m 8s · max 100%");
    expect(lineText(gpus.lines[1] ?? [])).toMatch(/^ {2}\s*[▁-█]{30}$/);
    // Without the spare line, the facts alone.
    expect(gpusPanel(snapshot.gpus, graphs.gpu, { width: 70, height: 1 }).title).toBe("gpus 1");
  });
});

describe("processes", () => {
  const proc = (pid: number, cpu_pct: number, mem_bytes: number): ProcessInfo => ({
    pid,
    name: `p${pid}`,
    user: "root",
    cpu_pct,
    mem_bytes,
    state: "S",
  });

  test("rows that read the same CPU % are ordered by memory, the largest first, not by PID", () => {
    const list = [
      proc(10, 0, MiB),
      proc(20, 0.02, 413 * MiB),
      proc(30, 0, 40 * MiB),
      proc(5, 3, 0),
    ];
    const byCpu = sortProcesses(list, { key: "cpu", descending: true }).map((p) => p.pid);
    expect(byCpu).toEqual([5, 20, 30, 10]);
    const byMem = sortProcesses(list, { key: "mem", descending: true }).map((p) => p.pid);
    expect(byMem).toEqual([20, 30, 10, 5]);
    // 0.35 and 0.34 both read "0.3%": tied, so the larger memory goes first.
    const close = [proc(40, 0.35, MiB), proc(41, 0.34, 2 * MiB)];
    expect(sortProcesses(close, { key: "cpu", descending: true }).map((p) => p.pid)).toEqual([
      41, 40,
    ]);
  });
});
