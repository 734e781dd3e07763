// The hypervisor's metric paths: guests by VMID, containers by name (short id without one),
// health.disks[DEVICE].ok as 1/0 (none without a verdict), the failed-unit count, and the heavy
// sections a rule on them makes the receiver ask for.
import { describe, expect, test } from "bun:test";
import {
  matchesMetric,
  metricSections,
  parseMetric,
  snapshotMetrics,
} from "../../../src/history/metrics.ts";
import type { Container, Guest, Health, Snapshot } from "../../../src/protocol/index.ts";

const MiB = 1024 ** 2;

function guest(id: number, cpuPct: number | null, memBytes: number | null): Guest {
  return {
    id,
    kind: "vm",
    name: `vm-${id}`,
    status: cpuPct === null ? "stopped" : "running",
    cpu_pct: cpuPct,
    cores: 2,
    mem_used_bytes: memBytes,
    mem_limit_bytes: 2048 * MiB,
    disk_read_bps: 0,
    disk_write_bps: 0,
    net_rx_bps: 0,
    net_tx_bps: 0,
    uptime_s: 10,
  };
}

function container(id: string, name: string | null, cpuPct: number): Container {
  return {
    id,
    runtime: "docker",
    name,
    image: "nginx:1.27",
    status: "running",
    cpu_pct: cpuPct,
    cores: null,
    mem_used_bytes: 64 * MiB,
    mem_limit_bytes: null,
    disk_read_bps: 0,
    disk_write_bps: 0,
    net_rx_bps: null,
    net_tx_bps: null,
    uptime_s: 5,
  };
}

const health: Health = {
  collected_ms: 1_700_000_000_000,
  disks: [
    { ...disk("/dev/sda"), ok: true },
    { ...disk("/dev/sdb"), ok: false },
    { ...disk("/dev/sdc"), ok: null, error: "in standby: not woken up to read S.M.A.R.T." },
  ],
  pools: [],
  failed_units: [
    {
      name: "backup.service",
      description: "Backup",
      load: "loaded",
      active: "failed",
      sub: "failed",
    },
  ],
  unavailable: {},
};

function disk(device: string): Health["disks"][number] {
  return {
    device,
    kind: "sat",
    model: "WDC WD40EFRX",
    serial: `S-${device}`,
    ok: null,
    celsius: 35,
    power_on_hours: 1000,
    wear_pct: null,
    reallocated_sectors: 0,
    pending_sectors: 0,
    media_errors: null,
    error: null,
  };
}

const snapshot: Snapshot = {
  v: 1,
  host: "pve",
  ts_ms: 1_700_000_000_000,
  uptime_s: 3600,
  guests: [guest(101, 95.5, 1500 * MiB), guest(102, null, null)],
  containers: [
    container("a".repeat(64), "web", 12),
    container(`4f6a9c0d2b8e${"0".repeat(52)}`, null, 3),
  ],
  health,
};

describe("hypervisor metrics", () => {
  test("guests by VMID, containers by name or short id; a stopped guest has no values", () => {
    const m = snapshotMetrics(snapshot);
    expect(m.get("guests[101].cpu_pct")).toBe(95.5);
    expect(m.get("guests[101].mem_used_bytes")).toBe(1500 * MiB);
    expect(m.has("guests[102].cpu_pct")).toBe(false);
    expect(m.has("guests[102].mem_used_bytes")).toBe(false);
    expect(m.get("containers[web].cpu_pct")).toBe(12);
    expect(m.get("containers[4f6a9c0d2b8e].cpu_pct")).toBe(3);
    expect(m.get("containers[web].mem_used_bytes")).toBe(64 * MiB);
  });

  test("a disk's verdict as 1 (ok) or 0 (failing), none without one; failed units counted", () => {
    const m = snapshotMetrics(snapshot);
    expect(m.get("health.disks[/dev/sda].ok")).toBe(1);
    expect(m.get("health.disks[/dev/sdb].ok")).toBe(0);
    expect(m.has("health.disks[/dev/sdc].ok")).toBe(false);
    expect(m.get("health.failed_units")).toBe(1);
    // systemctl could not be asked: no count rather than a reassuring 0.
    const blind: Health = { ...health, failed_units: [], unavailable: { units: "not available" } };
    expect(snapshotMetrics({ ...snapshot, health: blind }).has("health.failed_units")).toBe(false);
    // No health section (not asked, or still collecting): nothing.
    const { health: _, ...without } = snapshot;
    expect([...snapshotMetrics(without).keys()].some((k) => k.startsWith("health"))).toBe(false);
  });

  test("the paths parse, with a key or [*], and wildcards match their family only", () => {
    const cpu = parseMetric("guests[*].cpu_pct");
    if ("error" in cpu) throw new Error(cpu.error);
    expect(cpu.family.name).toBe("guests[].cpu_pct");
    expect(cpu.key).toBe("*");
    expect(matchesMetric(cpu, "guests[101].cpu_pct")).toBe(true);
    expect(matchesMetric(cpu, "containers[web].cpu_pct")).toBe(false);
    const ok = parseMetric("health.disks[/dev/sda].ok");
    if ("error" in ok) throw new Error(ok.error);
    expect(ok).toMatchObject({
      family: { name: "health.disks[].ok", unit: "ok" },
      key: "/dev/sda",
    });
    expect(parseMetric("health.failed_units")).toMatchObject({ key: null });
    expect(parseMetric("guests.cpu_pct")).toEqual({
      error: '"guests.cpu_pct" needs a key: guests[VMID].cpu_pct, or [*] for every one',
    });
    expect(parseMetric("health.failed_units[x]")).toHaveProperty("error");
  });

  test("a rule on guests or containers needs those sections; health and the rest do not", () => {
    const sections = (name: string) => {
      const ref = parseMetric(name);
      if ("error" in ref) throw new Error(ref.error);
      return metricSections(ref.family);
    };
    expect(sections("guests[*].cpu_pct")).toEqual(["guests"]);
    expect(sections("containers[web].mem_used_bytes")).toEqual(["containers"]);
    // health is in every fleet round already.
    expect(sections("health.disks[*].ok")).toEqual([]);
    expect(sections("cpu.total_pct")).toEqual([]);
    expect(sections("disks[*].used_pct")).toEqual([]);
  });
});
