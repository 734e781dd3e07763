// The metric catalog: every numeric value of a snapshot under its documented name, names parsed
// back with clear errors, and wildcards matching the keyed names they stand for.
import { describe, expect, test } from "bun:test";
import {
  diskUsedPct,
  MAX_METRICS_PER_SAMPLE,
  matchesMetric,
  metricKey,
  parseMetric,
  snapshotMetrics,
} from "../../../src/history/metrics.ts";
import type { Snapshot } from "../../../src/protocol/index.ts";

const GiB = 1024 ** 3;

const snapshot: Snapshot = {
  v: 1,
  host: "pve-web",
  ts_ms: 1_700_000_000_000,
  uptime_s: 3600,
  cpu: {
    total_pct: 23.5,
    user_pct: 17,
    system_pct: 6,
    iowait_pct: null,
    steal_pct: 0,
    cores_pct: [26, 21],
    load: [0.24, 0.2, 0.18],
    freq_mhz: 3000,
  },
  memory: {
    total_bytes: 32 * GiB,
    used_bytes: 8 * GiB,
    available_bytes: 24 * GiB,
    cached_bytes: 4 * GiB,
    swap_total_bytes: 0,
    swap_used_bytes: 0,
  },
  disks: [
    {
      mount: "/",
      fs: "ext4",
      device: "sda1",
      total_bytes: 100,
      used_bytes: 30,
      available_bytes: 20,
    },
    {
      mount: "/mnt/x",
      fs: "nfs",
      device: "nas:/x",
      total_bytes: null,
      used_bytes: null,
      available_bytes: null,
    },
  ],
  disk_io: [
    {
      device: "sda",
      read_bps: 100,
      write_bps: null,
      busy_pct: 3,
      read_total_bytes: 1,
      write_total_bytes: 2,
    },
  ],
  network: [{ iface: "eth0", rx_bps: 1000, tx_bps: 500, rx_total_bytes: 9, tx_total_bytes: 9 }],
  sensors: [
    { label: "Package id 0", chip: "coretemp", celsius: 55, max_celsius: null, crit_celsius: 100 },
    { label: "temp1", chip: "acpitz", celsius: 27.8, max_celsius: null, crit_celsius: null },
  ],
  gpus: [],
};

describe("snapshotMetrics", () => {
  test("every value under its name; nulls and unreadable values left out", () => {
    const m = snapshotMetrics(snapshot);
    expect(m.get("cpu.total_pct")).toBe(23.5);
    expect(m.has("cpu.iowait_pct")).toBe(false);
    expect(m.get("cpu.cores_pct[1]")).toBe(21);
    expect(m.get("cpu.load[5m]")).toBe(0.2);
    expect(m.get("memory.used_pct")).toBe(25);
    expect(m.has("memory.swap_used_pct")).toBe(false); // no swap: no percentage, not 0
    expect(m.get("disks[/].used_pct")).toBe(60); // df: 30 / (30 + 20), not 30 / 100
    expect(m.get("disks.max_used_pct")).toBe(60);
    expect(m.has("disks[/mnt/x].used_bytes")).toBe(false);
    expect(m.get("disk_io[sda].read_bps")).toBe(100);
    expect(m.has("disk_io[sda].write_bps")).toBe(false);
    expect(m.get("network[eth0].tx_bps")).toBe(500);
    expect(m.get("sensors[coretemp/Package id 0].celsius")).toBe(55);
    expect(m.get("sensors.max_celsius")).toBe(55);
    expect(m.get("uptime_s")).toBe(3600);
  });

  test("a host with thousands of interfaces is cut at the bound", () => {
    const network = Array.from({ length: 5000 }, (_, i) => ({
      iface: `veth${i}`,
      rx_bps: 1,
      tx_bps: 1,
      rx_total_bytes: 1,
      tx_total_bytes: 1,
    }));
    expect(snapshotMetrics({ ...snapshot, network }).size).toBe(MAX_METRICS_PER_SAMPLE);
  });

  test("df's percentage, and none without the numbers", () => {
    expect(diskUsedPct(30, 20)).toBe(60);
    expect(diskUsedPct(null, 20)).toBeNull();
    expect(diskUsedPct(0, 0)).toBeNull();
  });
});

describe("parseMetric", () => {
  test("plain, keyed, keys with brackets and wildcards", () => {
    expect(parseMetric("cpu.total_pct")).toMatchObject({
      family: { name: "cpu.total_pct" },
      key: null,
    });
    expect(parseMetric("disks[/var].used_pct")).toMatchObject({
      family: { name: "disks[].used_pct" },
      key: "/var",
    });
    expect(parseMetric("sensors[nvme/Composite [x]].celsius")).toMatchObject({
      key: "nvme/Composite [x]",
    });
    expect(parseMetric("network[*].rx_bps")).toMatchObject({ key: "*" });
  });

  test("errors say what to write", () => {
    expect(parseMetric("cpu.totl_pct")).toEqual({
      error: expect.stringContaining(
        'unknown metric "cpu.totl_pct"; known metrics: uptime_s, cpu.total_pct',
      ),
    });
    expect(parseMetric("disks.used_pct")).toEqual({
      error: '"disks.used_pct" needs a key: disks[mount point].used_pct, or [*] for every one',
    });
    expect(parseMetric("network[].rx_bps")).toMatchObject({
      error: expect.stringContaining("needs a key"),
    });
    expect(parseMetric("cpu.total_pct[0]")).toMatchObject({
      error: expect.stringContaining("unknown metric"),
    });
    expect(parseMetric("uptime_s[x]")).toMatchObject({
      error: expect.stringContaining("unknown metric"),
    });
  });

  test("a wildcard matches the names of its family only", () => {
    const ref = parseMetric("disks[*].used_pct");
    if ("error" in ref) throw new Error(ref.error);
    expect(matchesMetric(ref, "disks[/].used_pct")).toBe(true);
    expect(matchesMetric(ref, "disks[/].used_bytes")).toBe(false);
    expect(matchesMetric(ref, "disks.max_used_pct")).toBe(false);
    expect(metricKey("disks[/boot/efi].used_pct")).toBe("/boot/efi");
    expect(metricKey("cpu.total_pct")).toBeNull();
  });
});
