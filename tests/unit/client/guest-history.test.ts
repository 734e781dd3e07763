// The watched host's guests' CPU over the session, for the tables' sparklines: a point per new
// snapshot, a gap where a guest had no CPU, bounded, forgotten with the guest or when another
// host is watched; and a guest linked to the fleet's host of the same name.
import { describe, expect, test } from "bun:test";
import {
  containerKey,
  GuestHistory,
  guestKey,
  hostOfGuest,
} from "../../../src/client/guest-history.ts";
import { SPARK_POINTS } from "../../../src/client/host-trends.ts";
import type { Container, Guest, Snapshot } from "../../../src/protocol/index.ts";

const usage = {
  status: "running" as const,
  cores: 2,
  mem_used_bytes: 1,
  mem_limit_bytes: 2,
  disk_read_bps: 0,
  disk_write_bps: 0,
  net_rx_bps: 0,
  net_tx_bps: 0,
  uptime_s: 10,
};
const guest = (id: number, cpu: number | null): Guest => ({
  id,
  kind: "vm",
  name: `vm${id}`,
  ...usage,
  cpu_pct: cpu,
});
const container = (id: string, cpu: number): Container => ({
  id,
  runtime: "docker",
  name: id,
  image: null,
  ...usage,
  cpu_pct: cpu,
});
const snap = (tsMs: number, guests?: Guest[], containers?: Container[]): Snapshot => ({
  v: 1,
  host: "pve",
  ts_ms: tsMs,
  uptime_s: 1,
  guests,
  containers,
});

describe("guest history", () => {
  test("a point per new snapshot, NaN where a guest had no CPU; a repeated snapshot adds none", () => {
    const h = new GuestHistory();
    h.record("pve", snap(1000, [guest(100, null)], [container("abc", 3)]));
    h.record("pve", snap(2000, [guest(100, 50)], [container("abc", 4)]));
    h.record("pve", snap(2000, [guest(100, 60)], [container("abc", 5)]));
    expect([...h.cpu("pve", guestKey(guest(100, 0)))]).toEqual([Number.NaN, 50]);
    expect([...h.cpu("pve", containerKey(container("abc", 0)))]).toEqual([3, 4]);
    expect(h.cpu("other", guestKey(guest(100, 0))).length).toBe(0);
  });

  test("bounded to a sparkline's points, the oldest dropped", () => {
    const h = new GuestHistory();
    for (let i = 1; i <= SPARK_POINTS + 5; i++) h.record("pve", snap(i * 1000, [guest(100, i)]));
    const points = h.cpu("pve", "guest/100");
    expect(points.length).toBe(SPARK_POINTS);
    expect(points[0]).toBe(6);
    expect(points.at(-1)).toBe(SPARK_POINTS + 5);
  });

  test("a guest that went away is forgotten; watching another host starts afresh", () => {
    const h = new GuestHistory();
    h.record("pve", snap(1000, [guest(100, 1), guest(101, 2)]));
    h.record("pve", snap(2000, [guest(101, 2)]));
    expect(h.cpu("pve", "guest/100").length).toBe(0);
    h.record("pve2", snap(3000, [guest(101, 9)]));
    expect([...h.cpu("pve2", "guest/101")]).toEqual([9]);
    // A snapshot without the sections (another watch's) leaves it as it is.
    h.record("pve2", snap(4000));
    expect([...h.cpu("pve2", "guest/101")]).toEqual([9]);
  });
});

describe("a guest's own host", () => {
  const hosts = [
    { id: "db", info: null },
    { id: "web-1", info: { hostname: "nginx-vm" } },
  ];
  test("by the fleet's id or the host's hostname, case aside; else none", () => {
    expect(hostOfGuest("DB", hosts)).toBe("db");
    expect(hostOfGuest("nginx-vm", hosts)).toBe("web-1");
    expect(hostOfGuest("ci-runner", hosts)).toBeNull();
    expect(hostOfGuest(null, hosts)).toBeNull();
  });
});
