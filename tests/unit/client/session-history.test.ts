// The session's history buffer behind the web's charts and card sparklines: bounded by halving
// (older points averaged in pairs, a gap kept only where both were gaps), one gap when a host goes
// away, named as the history routes name metrics, and forgotten with a host that left the fleet.
import { describe, expect, test } from "bun:test";
import { FleetSessions } from "../../../src/client/fleet-sessions.ts";
import { HostHistory } from "../../../src/client/session-history.ts";
import type { HostState } from "../../../src/protocol/index.ts";
import { fleetHosts, NOW_MS } from "../tui/fixtures.ts";

const cpuOnly = (tsMs: number, cpu: number | null) => ({ tsMs, fixed: { cpu }, keyed: {} });

describe("one host's session", () => {
  test("full, it halves: pairs are averaged, a gap beside a value takes the value", () => {
    const h = new HostHistory(4);
    h.push(cpuOnly(1, 10));
    h.push(cpuOnly(2, 20));
    h.push(cpuOnly(3, null));
    h.push(cpuOnly(4, 40));
    h.push(cpuOnly(5, 50));
    const { timesMs, series } = h.columns();
    expect(timesMs).toEqual([2, 4, 5]);
    expect(series.get("cpu.total_pct")).toEqual([15, 40, 50]);
  });

  test("a gap breaks the line; keyed series are named as the history routes name them", () => {
    const h = new HostHistory();
    h.push({ tsMs: 1, fixed: { cpu: 5 }, keyed: { net_rx: [["eth0", 1000]] } });
    h.pushGap(2);
    const { series } = h.columns();
    expect(series.get("cpu.total_pct")).toEqual([5, null]);
    expect(series.get("network[eth0].rx_bps")).toEqual([1000, null]);
  });

  test("the sparkline keeps the last 300 CPU values, oldest first", () => {
    const h = new HostHistory();
    for (let i = 0; i < 310; i++) h.push(cpuOnly(i, i));
    const spark = h.sparkline();
    expect(spark.length).toBe(300);
    expect(spark[0]).toBe(10);
    expect(spark[299]).toBe(309);
  });
});

describe("the fleet's sessions", () => {
  const offline = (hosts: HostState[], id: string) =>
    hosts.map((h) => (h.id === id ? { ...h, status: "offline" as const } : h));

  test("a new snapshot adds a sample; a repeated one does not", () => {
    const s = new FleetSessions();
    s.record(fleetHosts(NOW_MS), NOW_MS);
    s.record(fleetHosts(NOW_MS), NOW_MS + 500);
    s.record(fleetHosts(NOW_MS + 1000), NOW_MS + 1000);
    expect(s.history("dns").length).toBe(2);
  });

  test("a host that goes away gets one gap, not one per frame", () => {
    const s = new FleetSessions();
    s.record(fleetHosts(NOW_MS), NOW_MS);
    const gone = offline(fleetHosts(NOW_MS), "dns");
    s.record(gone, NOW_MS + 1000);
    s.record(gone, NOW_MS + 2000);
    const { series } = s.history("dns").columns();
    expect(series.get("cpu.total_pct")?.at(-1)).toBeNull();
    expect(s.history("dns").length).toBe(2);
  });

  test("a host removed from the fleet takes its history with it", () => {
    const s = new FleetSessions();
    s.record(fleetHosts(NOW_MS), NOW_MS);
    s.record(
      fleetHosts(NOW_MS + 1000).filter((h) => h.id !== "dns"),
      NOW_MS + 1000,
    );
    expect(s.history("dns").length).toBe(0);
  });
});
