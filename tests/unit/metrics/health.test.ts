// The health section on /metrics: disks, pools and failed units as gauges, each missing source
// as 0, and an exposition promtool accepts.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseMdstat } from "../../../src/collect/linux/health-mdraid.ts";
import { parseSmartctlDevice } from "../../../src/collect/linux/health-smart.ts";
import { parseFailedUnits } from "../../../src/collect/linux/health-units.ts";
import { parseZpoolStatus } from "../../../src/collect/linux/health-zfs.ts";
import { renderMetrics } from "../../../src/metrics/prometheus.ts";
import type { Health } from "../../../src/protocol/index.ts";
import { externalTool } from "../../helpers/tools.ts";

const promtool = externalTool("promtool", "prometheus", "the promtool check of health metrics");
const FIXTURES = join(import.meta.dir, "../../fixtures/health");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

const health: Health = {
  collected_ms: 1_764_720_000_000,
  disks: [
    parseSmartctlDevice(fixture("smartctl-sata.json"), "/dev/sda"),
    parseSmartctlDevice(fixture("smartctl-failing.json"), "/dev/sdb"),
    parseSmartctlDevice(fixture("smartctl-unsupported.json"), "/dev/vda"),
  ],
  pools: [
    ...parseZpoolStatus(fixture("zpool-degraded.txt")),
    ...parseMdstat(fixture("mdstat-degraded")),
  ],
  failed_units: parseFailedUnits(fixture("systemctl-failed.json")),
  unavailable: { zfs: "not available: zpool is not installed" },
};

test("disks, pools, units and sources as gauges; promtool accepts them", () => {
  const text = renderMetrics([
    { labels: {}, info: null, snapshot: { v: 1, host: "pve", ts_ms: 1, uptime_s: 1, health } },
  ]);
  expect(text).toContain(
    'hwm_smart_ok{device="/dev/sda",model="Samsung SSD 870 EVO 1TB",serial="S6PUNX0T123456A"} 1\n',
  );
  expect(text).toContain(
    'hwm_smart_ok{device="/dev/sdb",model="ST3000DM001-1CH166",serial="Z1F2ABCD"} 0\n',
  );
  // No verdict for a disk smartctl could not open: no sample rather than a made-up one.
  expect(text).not.toContain('hwm_smart_ok{device="/dev/vda"');
  expect(text).toContain('hwm_smart_power_on_seconds{device="/dev/sda"} 63093600\n');
  expect(text).toContain('hwm_smart_wear_ratio{device="/dev/sda"} 0.03\n');
  expect(text).toContain('hwm_smart_pending_sectors{device="/dev/sdb"} 520\n');
  expect(text).toContain('hwm_pool_ok{pool="tank",kind="zfs",state="DEGRADED"} 0\n');
  expect(text).toContain('hwm_pool_failed_devices{pool="md1",kind="mdraid"} 1\n');
  expect(text).toMatch(/hwm_pool_progress_ratio\{pool="tank",kind="zfs"\} 0\.335\d*\n/);
  expect(text).toContain("hwm_systemd_units_failed 2\n");
  expect(text).toContain('hwm_systemd_unit_failed{unit="backup-nightly.service"} 1\n');
  expect(text).toContain('hwm_health_source_available{source="zfs"} 0\n');
  expect(text).toContain('hwm_health_source_available{source="smart"} 1\n');
  expect(text).toContain("hwm_health_collected_timestamp_seconds 1764720000\n");
  if (!promtool.skip) {
    const check = Bun.spawnSync([promtool.path(), "check", "metrics"], {
      stdin: new TextEncoder().encode(text),
    });
    expect(check.stdout.toString() + check.stderr.toString()).toBe("");
  }
});
