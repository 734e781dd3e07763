// The fleet table's core, with no DOM: each column sorts both ways with unknown values last,
// "problems first" is the cards' order, a header clicked twice reverses, and the summary carries
// the load (per core) and the busiest GPU the table and cards show.
import { describe, expect, test } from "bun:test";
import { COMPARE } from "../../../src/client/fleet-order.ts";
import {
  compareBy,
  FLEET_COLUMNS,
  type FleetColumn,
  isFleetSort,
  nextSort,
  PROBLEMS_FIRST,
} from "../../../src/client/fleet-table.ts";
import { type HostSummary, summarize } from "../../../src/client/summary.ts";
import { temperatureLevel } from "../../../src/client/thresholds.ts";
import type { HostState, Sensor, Snapshot } from "../../../src/protocol/index.ts";
import { snapshot } from "./fixtures.ts";

const GiB = 1024 ** 3;

function host(
  id: string,
  patch: { status?: HostState["status"]; cpuPct?: number; load?: number; gpus?: number[] } = {},
): HostState {
  const base = snapshot(1000, patch.cpuPct ?? 5);
  const cpu = { ...base.cpu, cores_pct: [5, 5, 5, 5] } as NonNullable<Snapshot["cpu"]>;
  cpu.load = patch.load === undefined ? null : [patch.load, 0.5, 0.25];
  const gpus = (patch.gpus ?? []).map((pct, i) => ({
    name: `GPU ${i}`,
    vendor: "nvidia",
    util_pct: pct,
    mem_used_bytes: GiB,
    mem_total_bytes: 8 * GiB,
    celsius: 50,
    power_watts: null,
  }));
  return {
    id,
    url: `http://${id}:7070`,
    status: patch.status ?? "online",
    info: null,
    snapshot: { ...base, cpu, gpus },
    last_seen_ms: 1000,
    last_error: null,
  };
}

const summaries: HostSummary[] = [
  host("node10", { cpuPct: 40, load: 2 }),
  host("node2", { cpuPct: 95, load: 6, gpus: [10, 80] }),
  host("node1", { cpuPct: 10 }),
  host("gone", { status: "offline", cpuPct: 50 }),
  host("node3", { cpuPct: 20, load: 1, gpus: [30] }),
].map((h) => summarize(h, 2000));

const ids = (sorted: HostSummary[]) => sorted.map((s) => s.id);

describe("sorting the table", () => {
  test("problems first is the cards' order", () => {
    expect(ids([...summaries].sort(compareBy(PROBLEMS_FIRST)))).toEqual(
      ids([...summaries].sort(COMPARE.problems)),
    );
    expect(ids([...summaries].sort(compareBy(PROBLEMS_FIRST)))).toEqual([
      "gone",
      "node2",
      "node1",
      "node3",
      "node10",
    ]);
  });

  test("a number column both ways, unknown values last either way", () => {
    const by = (column: FleetColumn, descending: boolean) =>
      ids([...summaries].sort(compareBy({ column, descending })));
    expect(by("gpu", true)).toEqual(["node2", "node3", "gone", "node1", "node10"]);
    expect(by("gpu", false)).toEqual(["node3", "node2", "gone", "node1", "node10"]);
    expect(by("load", true)).toEqual(["node2", "node10", "node3", "gone", "node1"]);
    expect(by("load", false)).toEqual(["node3", "node10", "node2", "gone", "node1"]);
  });

  test("names as people count them, both ways", () => {
    const asc = ids([...summaries].sort(compareBy({ column: "name", descending: false })));
    expect(asc).toEqual(["gone", "node1", "node2", "node3", "node10"]);
    const desc = ids([...summaries].sort(compareBy({ column: "name", descending: true })));
    expect(desc).toEqual([...asc].reverse());
  });

  test("a header clicked again reverses; a new one starts A→Z for names, largest first for numbers", () => {
    const cpu = nextSort(PROBLEMS_FIRST, "cpu");
    expect(cpu).toEqual({ column: "cpu", descending: true });
    expect(nextSort(cpu, "cpu")).toEqual({ column: "cpu", descending: false });
    expect(nextSort(cpu, "name")).toEqual({ column: "name", descending: false });
    expect(nextSort(PROBLEMS_FIRST, "status")).toEqual({ column: "status", descending: false });
  });

  test("every column has a sort; a remembered sort is checked before use", () => {
    for (const column of Object.keys(FLEET_COLUMNS) as FleetColumn[]) {
      expect(() => [...summaries].sort(compareBy({ column, descending: true }))).not.toThrow();
      expect(isFleetSort({ column, descending: false })).toBe(true);
    }
    expect(isFleetSort({ column: "nope", descending: true })).toBe(false);
    expect(isFleetSort({ column: "cpu" })).toBe(false);
    expect(isFleetSort(null)).toBe(false);
  });
});

describe("what the table and cards read from the summary", () => {
  test("the 1-minute load and its share per core; none where the OS has no load", () => {
    const [withLoad] = summaries;
    expect(withLoad?.load).toEqual({ avg1: 2, perCore: 0.5 });
    expect(summaries.find((s) => s.id === "node1")?.load).toBeNull();
  });

  test("the busiest GPU, with its memory; none on a host without one", () => {
    expect(summaries.find((s) => s.id === "node2")?.gpu).toEqual({
      name: "GPU 1",
      pct: 80,
      memUsedBytes: GiB,
      memTotalBytes: 8 * GiB,
    });
    expect(summaries.find((s) => s.id === "node1")?.gpu).toBeNull();
  });

  test("the hottest reading keeps its own limits: its tint agrees with HOT", () => {
    const h = host("warm");
    const snap = h.snapshot;
    if (!snap?.sensors) throw new Error("the fixture has sensors");
    // 92 °C on a chip whose high limit is 80 and critical 100: warm, not HOT.
    snap.sensors = [
      { ...snap.sensors[0], celsius: 92, max_celsius: 80, crit_celsius: 100 } as Sensor,
    ];
    const s = summarize(h, 2000);
    expect(temperatureLevel(s.sensor)).toBe("warn");
    expect(s.problems.map((p) => p.label)).not.toContain("HOT");
  });
});
