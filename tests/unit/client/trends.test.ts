// The one history buffer both dashboards draw from: a point per new snapshot named as the history
// routes name metrics, a hole per frame while a host is away (so graphs show the gap up to now),
// the recorded hour in front, the terminal's two scales, the web's chart columns and sparkline.
import { describe, expect, test } from "bun:test";
import { HostTrends, SPARK_POINTS } from "../../../src/client/host-trends.ts";
import { Trends } from "../../../src/client/trends.ts";
import type { HostState } from "../../../src/protocol/index.ts";
import { busySnapshot, fleetHosts, NOW_MS, recordedHour } from "../tui/fixtures.ts";

const offline = (hosts: HostState[], id: string) =>
  hosts.map((h) => (h.id === id ? { ...h, status: "offline" as const } : h));

describe("a host's trends", () => {
  test("each new snapshot is a point named as the history names it; a repeated one is not", () => {
    const h = new HostTrends();
    expect(h.record(busySnapshot(NOW_MS, 10), NOW_MS, 1000)).toBe(true);
    expect(h.record(busySnapshot(NOW_MS, 99), NOW_MS + 500, 1000)).toBe(false);
    expect(h.record(busySnapshot(NOW_MS + 1000, 30), NOW_MS + 1000, 1000)).toBe(true);
    const { timesMs, series } = h.columns();
    expect(timesMs).toEqual([NOW_MS, NOW_MS + 1000]);
    expect(series.get("cpu.total_pct")).toEqual([10, 30]);
    const names = [...series.keys()];
    expect(names).toContain("memory.used_pct");
    expect(names.some((n) => /^network\[.+\]\.rx_bps$/.test(n))).toBe(true);
    expect(names.some((n) => /^sensors\[.+\/.+\]\.celsius$/.test(n))).toBe(true);
    expect(h.version).toBe(2);
  });

  test("the sparkline is the last 300 intervals of CPU, oldest first", () => {
    const h = new HostTrends();
    for (let i = 0; i < 310; i++)
      h.record(busySnapshot(NOW_MS + i * 1000, i % 100), NOW_MS + i * 1000, 1000);
    const spark = h.sparkline();
    expect(spark.length).toBe(SPARK_POINTS);
    expect(spark[0]).toBe(10);
    expect(spark[SPARK_POINTS - 1]).toBe(9);
  });

  test("live scale: one column per interval; recorded scale: the hour over the width", () => {
    const h = new HostTrends();
    h.seed(recordedHour("pve-web"));
    for (let i = 0; i < 5; i++)
      h.record(busySnapshot(NOW_MS + i * 1000, 50), NOW_MS + i * 1000, 1000);
    const live = h.graphs({ kind: "live", intervalMs: 1000 }).cpu;
    expect(live.values(5)).toEqual([50, 50, 50, 50, 50]);
    expect(live.spanMs(60)).toBe(60_000);
    // Before the live points: the recorded ramp, each 15 s step held for its 15 columns.
    const before = live.values(20).slice(0, 15);
    expect(before.every((v) => v !== null && v > 90)).toBe(true);
    const hour = h.graphs({ kind: "recorded", spanMs: 3_600_000 }).cpu.values(60);
    expect(hour.length).toBe(60);
    expect(hour[1]).toBeLessThan(15);
    expect(hour[58]).toBeGreaterThan(85);
    expect(h.recorded).toBe(true);
  });
});

describe("the fleet's trends", () => {
  test("a host that goes away gets a hole every frame: its graphs show the gap up to now", () => {
    const t = new Trends();
    t.update(fleetHosts(NOW_MS), NOW_MS, 1000);
    const gone = offline(fleetHosts(NOW_MS), "dns");
    t.update(gone, NOW_MS + 1000, 1000);
    t.update(gone, NOW_MS + 2000, 1000);
    const { timesMs, series } = t.host("dns").columns();
    expect(timesMs).toEqual([NOW_MS, NOW_MS + 1000, NOW_MS + 2000]);
    expect(series.get("cpu.total_pct")?.slice(1)).toEqual([null, null]);
    expect(t.host("dns").sparkline().slice(-2)).toEqual([null, null]);
    // Back: the line goes on from the new point.
    t.update(fleetHosts(NOW_MS + 3000), NOW_MS + 3000, 1000);
    expect(t.graphs("dns", { kind: "live", intervalMs: 1000 }).cpu.values(4)[3]).not.toBeNull();
  });

  test("a host removed from the fleet takes its history with it", () => {
    const t = new Trends();
    t.update(fleetHosts(NOW_MS), NOW_MS, 1000);
    t.seed(recordedHour("dns"));
    expect(t.hasRecorded("dns")).toBe(true);
    t.update(
      fleetHosts(NOW_MS + 1000).filter((h) => h.id !== "dns"),
      NOW_MS + 1000,
      1000,
    );
    expect(t.hasRecorded("dns")).toBe(false);
    expect(t.host("dns").columns().timesMs).toEqual([]);
  });

  test("past the fine points, old ones fold into 10 s spans: the session keeps its hour", () => {
    const h = new HostTrends();
    for (let i = 0; i < 1200; i++)
      h.record(busySnapshot(NOW_MS + i * 1000, 40), NOW_MS + i * 1000, 1000);
    const { timesMs, series } = h.columns();
    expect(timesMs[0]).toBe(NOW_MS);
    expect(timesMs.length).toBeLessThan(500);
    expect(series.get("cpu.total_pct")?.every((v) => v === 40)).toBe(true);
  });
});
